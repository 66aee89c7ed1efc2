"""The benchmark's helpers: interleaved sides, honest summaries, the bot rules' figure."""

from __future__ import annotations

from typing import Any

from resume_tools.bench.browser_agents import BROWSER_AGENTS
from resume_tools.bench.figures import bot_rules
from resume_tools.bench.measure import Stats, side_by_side
from resume_tools.bench.report import table


def test_sides_are_interleaved_so_drift_hits_both() -> None:
    order: list[str] = []

    samples = side_by_side({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, 3)

    assert order == ["a", "b", "a", "b", "a", "b"]
    assert [len(s) for s in samples.values()] == [3, 3]


def test_stats_summarize_min_median_max() -> None:
    stats = Stats.of([3.0, 1.0, 2.0, 10.0], "s")

    assert (stats.min, stats.median, stats.max, stats.runs) == (1.0, 2.5, 10.0, 4)


def test_the_bot_rules_figure_times_every_call_and_judges_all_three_targets() -> None:
    figure = bot_rules(calls=1)

    assert figure["list_coverage"] >= 0.95
    assert figure["browser_false_positives"] == []
    assert figure["time"]["browsers"]["calls"] == len(BROWSER_AGENTS)
    assert figure["met"] == all(t["p99_us"] <= 10 for t in figure["time"].values())


def test_the_report_has_a_bot_rules_row() -> None:
    timing = {"agents": 89, "calls": 89, "p50_us": 2.0, "p99_us": 6.04, "max_us": 9.0}
    figure = {
        "list_coverage": 0.9995, "browser_false_positives": [],
        "time": {"bots": {**timing, "agents": 2123}, "browsers": timing}, "met": True,
    }  # fmt: skip

    row = next(line for line in table(_results(bot_rules=figure)).splitlines() if "Bot" in line)

    assert row == (
        "| Bot rules: list coverage, browser false positives, p99 per UA "
        "| bots p50 2.0, p99 6.0 (µs) ; browsers p50 2.0, p99 6.0 (µs) "
        "| 99.95% of 2123; 0 of 89 | ≥95%, 0, ≤10 µs | yes |"
    )


def test_the_report_sets_the_stored_write_units_beside_the_model() -> None:
    report = table(_results(bot_rules=_bot_rules()))

    row = next(line for line in report.splitlines() if "Write units" in line)

    assert row.endswith("| 5 (5-5) | model 5 | = the model | yes |")


def _results(**figures: Any) -> dict[str, Any]:
    """Results as the bench writes them, every figure a stand-in but those given."""
    one = Stats.of([1.0], "s")
    route = {"p50_ms": 0.1, "p99_ms": 0.2}
    return {
        "cold_init": {"time": {"handler": one, "bare_boto3_client": one},
                      "ratio": 1.0, "met": True},
        "warm_overhead": {"POST /": route, "POST /pages/": route, "met": True},
        "synth": {"time": dict.fromkeys(("cold", "cached", "cdktf_cli"), one),
                  "cached_vs_cold": 0.1, "cold_vs_cdktf_cli": 0.5, "met": True},
        "package": {"time": {"cold": one, "cached": one}, "size_bytes": 1},
        "local_cloud": {
            "deploy": {"dev_from_nothing_s": 1.0, "deploy_again_nothing_changed_s": 1.0},
            "throughput": {"requests_per_s": {"api": one, "direct_update_item": one},
                           "ratio": 1.0, "lost_updates": 0, "met": True},
            "write_units": {"model": 5, "stored": Stats.of([5.0, 5.0], "WCU"), "met": True},
        },
        "hot_keys": {
            "scale": 100, "load": {"views_per_s": 30, "hits_per_s": 20},
            "before": {"sent": 200, "throttled_writes": 238, "lost": 113},
            "after": {"shards": 5, "throttled_writes": 0, "lost": 0}, "met": True,
        },
        **figures,
    }  # fmt: skip


def test_the_report_sets_the_hot_keys_before_and_after_side_by_side() -> None:
    report = table(_results(bot_rules=_bot_rules()))

    row = next(line for line in report.splitlines() if "Hot keys" in line)

    assert row == (
        "| Hot keys at DynamoDB's per-key limits / 100: throttled writes, lost of 200 views "
        "and hits (30 + 20 a second on one page and the total) | 1 shard: 238 throttled, "
        "113 lost | 5 shards: 0 throttled, 0 lost | 0 and 0 with shards | yes |"
    )


def _bot_rules() -> dict[str, Any]:
    """A bot-rules figure that meets its target."""
    timing = {"agents": 1, "p50_us": 1.0, "p99_us": 1.0}
    return {
        "list_coverage": 0.99, "browser_false_positives": [], "met": True,
        "time": {"bots": timing, "browsers": timing},
    }  # fmt: skip
