"""Benchmarks measured side by side: measuring, the figures, and the performance page's table."""
