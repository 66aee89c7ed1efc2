"""The benchmark's one timing helper: interleaved sides, honest summaries."""

from __future__ import annotations

from resume_tools.bench.measure import Stats, side_by_side


def test_sides_are_interleaved_so_drift_hits_both() -> None:
    order: list[str] = []

    samples = side_by_side({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, 3)

    assert order == ["a", "b", "a", "b", "a", "b"]
    assert [len(s) for s in samples.values()] == [3, 3]


def test_stats_summarize_min_median_max() -> None:
    stats = Stats.of([3.0, 1.0, 2.0, 10.0], "s")

    assert (stats.min, stats.median, stats.max, stats.runs) == (1.0, 2.5, 10.0, 4)
