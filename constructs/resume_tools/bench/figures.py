"""The seven benchmarks, each a figure next to its baseline, measured in the same run.

The machines are noisy, so each comparison alternates its two sides within one loop and
reports min/median/max; targets are judged on ratios of medians, never on absolute time.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stdout
from functools import partial
from pathlib import Path
from typing import Any

from resume_tools.bench.hot_keys import stored_site_total
from resume_tools.bench.measure import Stats, python_child, run, side_by_side, timed
from resume_tools.log import quiet

ROOT = Path.cwd()


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

    def get_item(self, **request: Any) -> dict[str, Any]:
        self.calls += 1
        if request["Key"]["ID"]["S"].endswith("#known-pages"):
            return {"Item": {"pages": {"S": "/\n/posts/hello-world"}}}
        return {"Item": {"salt": {"B": b"s" * 32}}}


def warm_overhead(requests: int) -> dict[str, Any]:
    """Per-request time inside the handler with DynamoDB stubbed out, per counting route."""
    from visitor_counter.settings import Settings
    from visitor_counter.telemetry import RequestLog
    from visitor_counter.wiring import build_router

    stub = _StubDynamoDB()
    settings = Settings(table_name="bench", site_id="blog")
    api = build_router(settings, stub, requests=RequestLog("blog", "INFO", io.StringIO()))
    results: dict[str, Any] = {"requests": requests, "target": "p99 < 1 ms"}
    for path in ("/", "/pages/%2Fposts%2Fhello-world"):
        event = {
            "version": "2.0", "rawPath": path,
            "headers": {"origin": "http://localhost:4321", "user-agent": BROWSER_USER_AGENT},
            "requestContext": {"http": {"method": "POST", "path": path, "sourceIp": "192.0.2.1"},
                               "requestId": "bench"},
        }  # fmt: skip
        for _ in range(1000):  # warm up (and the salt and the known pages are cached)
            if api.handle(event)["statusCode"] != 200:
                raise RuntimeError(f"the bench's POST {path} is not counted")
        samples = sorted(timed(partial(api.handle, event)) for _ in range(requests))
        p50, p99 = samples[len(samples) // 2], samples[int(len(samples) * 0.99)]
        results[f"POST {path.split('%')[0]}"] = {
            "p50_ms": p50 * 1000, "p99_ms": p99 * 1000, "max_ms": samples[-1] * 1000
        }  # fmt: skip
    results["met"] = all(
        value["p99_ms"] < 1 for value in results.values() if isinstance(value, dict)
    )
    return results


def bot_rules(calls: int) -> dict[str, Any]:
    """is_bot per agent, each call timed alone: the crawler list's examples, real browsers."""
    from resume_tools.artifacts.bot_rules import list_examples
    from resume_tools.bench.browser_agents import BROWSER_AGENTS
    from visitor_counter.counting_rules import default_bot_rules

    is_bot = default_bot_rules().is_bot

    corpora = {"bots": list_examples(), "browsers": list(BROWSER_AGENTS.values())}
    clock = time.perf_counter_ns
    times: dict[str, Any] = {}
    for name, agents in corpora.items():
        for agent in agents:  # warm up
            is_bot(agent)
        samples = []
        for _ in range(max(1, calls // len(agents))):
            for agent in agents:
                start = clock()
                is_bot(agent)
                samples.append(clock() - start)
        samples.sort()
        times[name] = {
            "agents": len(agents), "calls": len(samples),
            "p50_us": samples[len(samples) // 2] / 1000,
            "p99_us": samples[int(len(samples) * 0.99)] / 1000,
            "max_us": samples[-1] / 1000,
        }  # fmt: skip
    coverage = sum(map(is_bot, corpora["bots"])) / len(corpora["bots"])
    flagged = [label for label, agent in BROWSER_AGENTS.items() if is_bot(agent)]
    return {
        "list_coverage": coverage,
        "browser_false_positives": flagged,
        "time": times,
        "target": ">= 95% of the list's examples, no browser, p99 <= 10 us per agent",
        "met": coverage >= 0.95 and not flagged and all(t["p99_us"] <= 10 for t in times.values()),
    }


def synth(env: Mapping[str, str], repeat: int) -> dict[str, Any]:
    """Cold and cached `nox -s synth` (its module), and the cdktf CLI, side by side."""
    key_file = ROOT / "cdktf.out" / ".synth-key"
    ours = [sys.executable, "-m", "resume_tools.cli.synth"]
    cli = [str(ROOT / "node_modules" / ".bin" / "cdktf"), "synth", "--output", "cdktf.out.cli"]
    synth_env = {**env, "CHECKPOINT_DISABLE": "1"}
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
    from resume_tools.artifacts.package import build

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
    from resume_tools.local_cloud.cloud import local_cloud

    start = time.perf_counter()
    with local_cloud(ROOT, ports, env, quiet) as cloud:
        yield time.perf_counter() - start, cloud


# A stage throttled above what the throughput figure sends (`POST /` gets 30%: 300 a
# second), with what the config asks of that throttle (resume.capacity): the write shards
# and the concurrency. Each `POST /` then also reads the site total's other shards.
THROUGHPUT_ENV = {
    "RESUME_THROTTLE_BURST_LIMIT": "2000",
    "RESUME_THROTTLE_RATE_LIMIT_RPS": "1000",
    "RESUME_WRITE_SHARDS": "5",
    "RESUME_LAMBDA_RESERVED_CONCURRENCY": "20",
}


def local_cloud_figures(env: Mapping[str, str], requests: int, threads: int) -> dict[str, Any]:
    """Deploy from nothing, deploy again, then API throughput vs direct UpdateItem."""
    import requests as http

    from resume_tools.deploy.deploy import deploy
    from resume_tools.local_cloud.cloud import emulator_client, emulator_env, local_config

    shutil.rmtree(ROOT / ".local-cloud" / "cdktf.out", ignore_errors=True)
    ports = {"moto_port": 4699, "api_port": 4700, "site_port": 4701}
    # The gateway enforces the deployed stage throttle (default 50 req/s): this measures the
    # local path's throughput, so it deploys a stage throttled far above what it sends.
    env = {**env, **THROUGHPUT_ENV}
    # The in-process handler logs a line per request; thousands of them would bury the table.
    with _dev(ports, env) as (from_nothing_s, cloud), redirect_stdout(io.StringIO()):
        local_env = {**env, **emulator_env(cloud.emulator_endpoint)}
        config = local_config(local_env, cloud.emulator_endpoint, ports)
        again_s = timed(lambda: deploy(ROOT, config, local_env, quiet))
        dynamodb = emulator_client("dynamodb", cloud.emulator_endpoint)
        table = cloud.deployment.backend.table_name
        session = http.Session()
        session.headers["User-Agent"] = BROWSER_USER_AGENT  # requests' own UA is a bot
        session.headers["Origin"] = cloud.site_url  # without an allowed Origin nothing counts

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
            shards = int(THROUGHPUT_ENV["RESUME_WRITE_SHARDS"])
            return stored_site_total(dynamodb, table, "blog", shards)

        units = stored_write_units(dynamodb, table, session, cloud.api_url, views=20)
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
        "write_units": units,
    }


def stored_write_units(
    dynamodb: Any, table: str, session: Any, api_url: str, views: int
) -> dict[str, Any]:
    """Write units per counted view, by DynamoDB's size rules, beside the cost model's.

    From the items stored before and after each view (moto's ConsumedCapacity is a
    constant, so it is not used).
    """
    from resume_tools.bench.cost import INDEX_WRITES_PER_VIEW, UPDATES_PER_VIEW
    from resume_tools.bench.write_units import deployed_tables, units_of
    from visitor_counter import schema

    tables = deployed_tables(table)
    pages = ("%2F", "%2Fposts%2Fhello.html")

    def view(page: str) -> None:
        session.post(f"{api_url}/pages/{page}", timeout=30).raise_for_status()

    # The day's salt, and each page's live day on each write shard it takes (billed once a
    # day: the cost model's page days).
    for _ in range(int(THROUGHPUT_ENV["RESUME_WRITE_SHARDS"])):
        for page in pages:
            view(page)
    # The site's day is left out: the ceiling's estimate, a unit every ESTIMATE_WEIGHT views.
    site_day = schema.site_history_key(schema.DEFAULT_SITE_ID)  # the local cloud's site
    measured: list[float] = [
        units_of(dynamodb, tables, partial(view, pages[n % 2]), skip=[site_day])
        for n in range(views)
    ]
    model = UPDATES_PER_VIEW + INDEX_WRITES_PER_VIEW
    return {"model": model, "stored": Stats.of(measured, "WCU"), "met": set(measured) == {model}}
