"""The benchmark results as the Markdown table docs/performance.md shows."""

from __future__ import annotations

from typing import Any

from resume_tools.bench.measure import Stats


def _spread(stats: Stats, scale: float = 1.0, fmt: str = ".2f") -> str:
    return f"{stats.median * scale:{fmt}} ({stats.min * scale:{fmt}}-{stats.max * scale:{fmt}})"


def table(results: dict[str, Any]) -> str:
    """The results as the Markdown table docs/performance.md shows."""
    cold, warm, syn = results["cold_init"], results["warm_overhead"], results["synth"]
    pkg, loc, bots = results["package"], results["local_cloud"], results["bot_rules"]
    hot = results["hot_keys"]
    thr = loc["throughput"]
    rates = thr["requests_per_s"]
    rows = [
        (
            "Cold init: handler vs bare boto3 client (s)",
            f"{_spread(cold['time']['handler'])} vs {_spread(cold['time']['bare_boto3_client'])}",
            f"{cold['ratio']:.2f}x", "<= 1.15x", cold["met"],
        ),
        (
            "Warm handler overhead, stubbed DynamoDB: POST / ; POST /pages/ (ms)",
            " ; ".join(f"p50 {warm[route]['p50_ms']:.3f}, p99 {warm[route]['p99_ms']:.3f}"
                       for route in ("POST /", "POST /pages/")),
            "", "p99 < 1 ms", warm["met"],
        ),
        (
            "Bot rules: list coverage, browser false positives, p99 per UA",
            " ; ".join(f"{kind} p50 {bots['time'][kind]['p50_us']:.1f}, "
                       f"p99 {bots['time'][kind]['p99_us']:.1f} (µs)"
                       for kind in ("bots", "browsers")),
            f"{bots['list_coverage']:.2%} of {bots['time']['bots']['agents']}; "
            f"{len(bots['browser_false_positives'])} of {bots['time']['browsers']['agents']}",
            "≥95%, 0, ≤10 µs", bots["met"],
        ),
        (
            "Synth: cold / cached / cdktf CLI (s)",
            " / ".join(_spread(syn["time"][k]) for k in ("cold", "cached", "cdktf_cli")),
            f"cached {syn['cached_vs_cold']:.3f}x cold; cold {syn['cold_vs_cdktf_cli']:.2f}x CLI",
            "<= 0.1x; < 1x", syn["met"],
        ),
        (
            "Local throughput: API vs direct UpdateItem (req/s)",
            " vs ".join(_spread(rates[k], fmt=".0f") for k in ("api", "direct_update_item")),
            f"{thr['ratio']:.2f}x, {thr['lost_updates']} lost", ">= 0.8x, 0 lost", thr["met"],
        ),
        (
            "Write units per counted view: stored items (DynamoDB's size rules) vs the model",
            _spread(loc["write_units"]["stored"], fmt=".0f"),
            f"model {loc['write_units']['model']}", "= the model", loc["write_units"]["met"],
        ),
        (
            f"Hot keys at DynamoDB's per-key limits / {hot['scale']}: throttled writes, lost "
            f"of {hot['before']['sent']} views and hits ({hot['load']['views_per_s']} + "
            f"{hot['load']['hits_per_s']} a second on one page and the total)",
            f"1 shard: {hot['before']['throttled_writes']} throttled, "
            f"{hot['before']['lost']} lost",
            f"{hot['after']['shards']} shards: {hot['after']['throttled_writes']} throttled, "
            f"{hot['after']['lost']} lost",
            "0 and 0 with shards", hot["met"],
        ),
        (
            "Package: cold / cached build (ms)",
            f"{_spread(pkg['time']['cold'], 1000)} / {_spread(pkg['time']['cached'], 1000)}",
            f"{pkg['size_bytes']} bytes", "", None,
        ),
        (
            "Local deploy: from nothing / again, no change (s)",
            f"{loc['deploy']['dev_from_nothing_s']:.0f} / "
            f"{loc['deploy']['deploy_again_nothing_changed_s']:.0f}",
            "", "", None,
        ),
    ]  # fmt: skip
    lines = [
        "| figure | median (min-max) | ratio | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, value, ratio, target, met in rows:
        verdict = "" if met is None else ("yes" if met else "no")
        lines.append(f"| {name} | {value} | {ratio} | {target} | {verdict} |")
    return "\n".join(lines)
