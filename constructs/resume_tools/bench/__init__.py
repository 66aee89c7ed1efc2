"""Benchmarks measured side by side: measuring, the figures, and the README table."""
