"""Benchmarks as side-by-side ratios into bench/results.json (`nox -s bench`).

python -m resume_tools.cli.bench [--quick] [--out bench/results.json]
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from resume_tools.bench import figures
from resume_tools.bench.cost import cost_table
from resume_tools.bench.hot_keys import hot_key_figures
from resume_tools.bench.measure import machine
from resume_tools.bench.report import table
from resume_tools.cli import Command


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark, write the JSON file, print the table."""
    command = Command("bench", __doc__)
    command.parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    command.parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = command.parse(argv)
    repeat = 3 if args.quick else 10
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    results: dict[str, Any] = {"machine": machine()}
    print("bench: cold init", flush=True)
    results["cold_init"] = figures.cold_init(env, repeat)
    print("bench: warm handler overhead", flush=True)
    results["warm_overhead"] = figures.warm_overhead(2_000 if args.quick else 20_000)
    print("bench: bot rules", flush=True)
    results["bot_rules"] = figures.bot_rules(20_000 if args.quick else 200_000)
    print("bench: package", flush=True)
    results["package"] = figures.package(repeat)
    print("bench: synth", flush=True)
    results["synth"] = figures.synth(env, 2 if args.quick else 3)
    print("bench: local cloud (deploy from nothing, again, throughput)", flush=True)
    results["local_cloud"] = figures.local_cloud_figures(env, 200 if args.quick else 1000, 16)
    print("bench: hot keys (DynamoDB's per-key limits / 100, one shard then several)", flush=True)
    results["hot_keys"] = hot_key_figures(figures.ROOT, env)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=asdict) + "\n")
    print(table(results))
    print(cost_table())
    print(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
