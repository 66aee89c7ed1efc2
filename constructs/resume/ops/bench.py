"""`nox -s bench`: every figure next to its baseline, measured side by side in one run.

    python -m resume.ops.bench [--quick] [--out bench/results.json]

The machines are noisy, so each comparison alternates its two sides within one loop and
reports min/median/max; targets are judged on ratios of medians, never on absolute time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stdout
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path.cwd()


@dataclass(frozen=True)
class Stats:
    """Summary of repeated measurements of one quantity."""

    unit: str
    min: float
    median: float
    max: float
    runs: int

    @classmethod
    def of(cls, samples: list[float], unit: str) -> Stats:
        """Summarize samples."""
        return cls(unit, min(samples), statistics.median(samples), max(samples), len(samples))


def timed(action: Callable[[], object]) -> float:
    """Seconds one call of `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def side_by_side(
    actions: Mapping[str, Callable[[], object]], repeat: int
) -> dict[str, list[float]]:
    """Time each action `repeat` times, interleaved, so drift hits every side alike."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            samples[name].append(timed(action))
    return samples


def python_child(code: str, env: Mapping[str, str]) -> tuple[float, float]:
    """(seconds, peak MiB) of a fresh interpreter running `code`; the child reports its RSS."""
    report = (
        "\nimport resource, sys"
        "\nsys.stdout.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"
    )
    start = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own snippet
        [sys.executable, "-c", code + report],
        env=dict(env),
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(result.stdout.strip()) / 1024


def run(command: list[str], env: Mapping[str, str]) -> None:
    """Run a command quietly; raise with its output if it fails."""
    result = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


# --- the six benchmarks ---------------------------------------------------------------


def cold_init(env: Mapping[str, str], repeat: int) -> dict[str, Any]:
    """Fresh interpreter to a ready handler, vs. to a bare boto3 DynamoDB client."""
    child_env = {**env, "AWS_DEFAULT_REGION": "eu-west-2", "AWS_ACCESS_KEY_ID": "x",
                 "AWS_SECRET_ACCESS_KEY": "x", "PYTHONPATH": str(ROOT / "function")}  # fmt: skip
    codes = {
        "handler": "import visitor_counter.handler",
        "bare_boto3_client": "import boto3; boto3.client('dynamodb')",
    }
    times: dict[str, list[float]] = {name: [] for name in codes}
    memory: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(repeat):
        for name, code in codes.items():
            seconds, mib = python_child(code, child_env)
            times[name].append(seconds)
            memory[name].append(mib)
    ratio = statistics.median(times["handler"]) / statistics.median(times["bare_boto3_client"])
    return {
        "time": {name: Stats.of(s, "s") for name, s in times.items()},
        "peak_rss_children": {name: Stats.of(m, "MiB") for name, m in memory.items()},
        "ratio": ratio,
        "target": "<= 1.15",
        "met": ratio <= 1.15,
    }


BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


class _StubDynamoDB:
    """Answers instantly: the handler's own overhead is what remains. Counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def update_item(self, **_: Any) -> dict[str, Any]:
        self.calls += 1
        number = {"N": str(self.calls)}
        return {"Attributes": {"visitors": number, "views": number}}

    def put_item(self, **_: Any) -> dict[str, Any]:
        self.calls += 1
        return {}

    def get_item(self, **_: Any) -> dict[str, Any]:
        self.calls += 1
        return {"Item": {"salt": {"B": b"s" * 32}}}


def warm_overhead(requests: int) -> dict[str, Any]:
    """Per-request time inside the handler with DynamoDB stubbed out, per counting route."""
    from visitor_counter.api import CounterApi
    from visitor_counter.page_store import PageStore
    from visitor_counter.settings import Settings
    from visitor_counter.store import VisitorCounter
    from visitor_counter.telemetry import RequestLog
    from visitor_counter.visitors import DailySalt, PageViews

    stub = _StubDynamoDB()
    pages = PageStore(stub, "t", "blog")
    api = CounterApi(
        Settings(),
        VisitorCounter(stub, "t"),
        PageViews(pages, DailySalt(pages), "blog"),
        RequestLog("blog", "INFO", io.StringIO()),
    )
    results: dict[str, Any] = {"requests": requests, "target": "p99 < 1 ms"}
    for path in ("/", "/pages/%2Fposts%2Fhello-world"):
        event = {
            "version": "2.0", "rawPath": path,
            "headers": {"origin": "http://localhost:4321", "user-agent": BROWSER_USER_AGENT},
            "requestContext": {"http": {"method": "POST", "path": path, "sourceIp": "192.0.2.1"},
                               "requestId": "bench"},
        }  # fmt: skip
        for _ in range(1000):  # warm up (and the salt is cached)
            api.handle(event)
        samples = sorted(timed(partial(api.handle, event)) for _ in range(requests))
        p50, p99 = samples[len(samples) // 2], samples[int(len(samples) * 0.99)]
        results[f"POST {path.split('%')[0]}"] = {
            "p50_ms": p50 * 1000, "p99_ms": p99 * 1000, "max_ms": samples[-1] * 1000
        }  # fmt: skip
    results["met"] = all(
        value["p99_ms"] < 1 for value in results.values() if isinstance(value, dict)
    )
    return results


def synth(env: Mapping[str, str], repeat: int) -> dict[str, Any]:
    """Cold and cached `nox -s synth` (its module), and the cdktf CLI, side by side."""
    key_file = ROOT / "cdktf.out" / ".synth-key"
    ours = [sys.executable, "-m", "resume.ops.synth"]
    cli = [str(ROOT / "node_modules" / ".bin" / "cdktf"), "synth", "--output", "cdktf.out.cli"]
    synth_env = {**env, "RESUME_ACCOUNT_ID": "123456789012", "CHECKPOINT_DISABLE": "1"}
    cli_env = {**synth_env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"}

    def cold() -> None:
        key_file.unlink(missing_ok=True)
        run(ours, synth_env)

    samples = side_by_side(
        {
            "cold": cold,
            "cached": lambda: run(ours, synth_env),
            "cdktf_cli": lambda: run(cli, cli_env),
        },
        repeat,
    )
    shutil.rmtree(ROOT / "cdktf.out.cli", ignore_errors=True)
    medians = {name: statistics.median(s) for name, s in samples.items()}
    return {
        "time": {name: Stats.of(s, "s") for name, s in samples.items()},
        "cached_vs_cold": medians["cached"] / medians["cold"],
        "cold_vs_cdktf_cli": medians["cold"] / medians["cdktf_cli"],
        "target": "cached <= 0.1x cold; ours faster than the CLI",
        "met": medians["cached"] / medians["cold"] <= 0.1
        and medians["cold"] < medians["cdktf_cli"],
    }


def package(repeat: int) -> dict[str, Any]:
    """Zip size and build time, cold (stamp removed) and cached."""
    from resume.ops.package import build

    out = ROOT / "build" / "function.zip"

    def cold() -> None:
        out.with_suffix(".inputs").unlink(missing_ok=True)
        build(ROOT / "function", out)

    samples = side_by_side({"cold": cold, "cached": lambda: build(ROOT / "function", out)}, repeat)
    built = build(ROOT / "function", out)
    return {
        "time": {name: Stats.of(s, "s") for name, s in samples.items()},
        "size_bytes": built.size_bytes,
        "sha256": built.sha256,
    }


@contextmanager
def _dev(ports: dict[str, int], env: Mapping[str, str]) -> Iterator[tuple[float, Any]]:
    """A local cloud in this process; yields (seconds to serving, the cloud)."""
    from resume.ops.dev import local_cloud

    start = time.perf_counter()
    with local_cloud(ROOT, ports, env, lambda _: None) as cloud:
        yield time.perf_counter() - start, cloud


def local_cloud_figures(env: Mapping[str, str], requests: int, threads: int) -> dict[str, Any]:
    """Deploy from nothing, deploy again, then API throughput vs direct UpdateItem."""
    import requests as http

    from resume.ops.deploy import deploy
    from resume.ops.dev import emulator_client, emulator_env, local_config

    shutil.rmtree(ROOT / ".local-cloud" / "cdktf.out", ignore_errors=True)
    ports = {"moto_port": 4699, "api_port": 4700, "site_port": 4701}
    # The in-process handler logs a line per request; thousands of them would bury the table.
    with _dev(ports, env) as (from_nothing_s, cloud), redirect_stdout(io.StringIO()):
        local_env = {**env, **emulator_env(cloud.emulator_endpoint)}
        config = local_config(local_env, cloud.emulator_endpoint, ports)
        again_s = timed(
            lambda: deploy(ROOT, config, local_env, lambda _: None, site_api_url=cloud.api_url)
        )
        dynamodb = emulator_client("dynamodb", cloud.emulator_endpoint)
        table = cloud.deployment.table_name
        session = http.Session()
        session.headers["User-Agent"] = BROWSER_USER_AGENT  # requests' own UA is a bot

        def through_api(_: int) -> None:
            session.post(cloud.api_url + "/", timeout=30).raise_for_status()

        def direct(_: int) -> None:
            dynamodb.update_item(
                TableName=table, Key={"ID": {"S": "blog"}}, UpdateExpression="ADD visitors :one",
                ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW",
            )  # fmt: skip

        def rate(call: Callable[[int], None]) -> float:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                seconds = timed(lambda: list(pool.map(call, range(requests))))
            return requests / seconds

        def stored() -> int:
            item = dynamodb.get_item(TableName=table, Key={"ID": {"S": "blog"}}).get("Item")
            return int(item["visitors"]["N"]) if item else 0

        before = stored()
        rates: dict[str, list[float]] = {"api": [], "direct_update_item": []}
        for _ in range(3):
            rates["api"].append(rate(through_api))
            rates["direct_update_item"].append(rate(direct))
        after = stored()
    lost = 3 * 2 * requests - (after - before)
    ratio = statistics.median(rates["api"]) / statistics.median(rates["direct_update_item"])
    return {
        "deploy": {
            "dev_from_nothing_s": from_nothing_s,
            "deploy_again_nothing_changed_s": again_s,
        },
        "throughput": {
            "requests_per_s": {name: Stats.of(r, "req/s") for name, r in rates.items()},
            "threads": threads,
            "requests_per_round": requests,
            "ratio": ratio,
            "lost_updates": lost,
            "target": ">= 0.8, zero lost updates",
            "met": ratio >= 0.8 and lost == 0,
        },
    }


def machine() -> dict[str, str]:
    """What the numbers were measured on."""

    def first_line(tool: str, *args: str) -> str:
        path = shutil.which(tool)
        if not path:
            return "not found"
        result = subprocess.run([path, *args], capture_output=True, text=True, check=False)  # noqa: S603
        return (result.stdout.strip().splitlines() or ["?"])[0]

    return {
        "cpus": str(os.cpu_count()),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "terraform": first_line("terraform", "version"),
        "node": first_line("node", "--version"),
    }


def _spread(stats: Stats, scale: float = 1.0, fmt: str = ".2f") -> str:
    return f"{stats.median * scale:{fmt}} ({stats.min * scale:{fmt}}-{stats.max * scale:{fmt}})"


def table(results: dict[str, Any]) -> str:
    """The results as the Markdown table the README shows."""
    cold, warm, syn = results["cold_init"], results["warm_overhead"], results["synth"]
    pkg, loc = results["package"], results["local_cloud"]
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


def main(argv: list[str] | None = None) -> int:
    """CLI: run every benchmark, write the JSON file, print the table."""
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 10
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    results: dict[str, Any] = {"machine": machine()}
    print("bench: cold init", flush=True)
    results["cold_init"] = cold_init(env, repeat)
    print("bench: warm handler overhead", flush=True)
    results["warm_overhead"] = warm_overhead(2_000 if args.quick else 20_000)
    print("bench: package", flush=True)
    results["package"] = package(repeat)
    print("bench: synth", flush=True)
    results["synth"] = synth(env, 2 if args.quick else 3)
    print("bench: local cloud (deploy from nothing, again, throughput)", flush=True)
    results["local_cloud"] = local_cloud_figures(env, 200 if args.quick else 1000, 16)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=asdict) + "\n")
    print(table(results))
    print(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
