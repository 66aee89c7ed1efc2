"""The hot-key load test: DynamoDB's per-key limits scaled down, the real handler past them.

A local cloud whose function meets DynamoDB's per-key limits divided by SCALE
(resume_tools.local_cloud.partition_limits: 10 write units a key a second at 100) takes the
same load twice: views of one page and hits of `POST /`, each from an address of its own,
at several times one key's scaled limit. First with one write shard (every view writes one
page item, every hit the one site total), then with the shards resume.capacity asks for
that load. What each run shows: the answers, the writes DynamoDB (the proxy) refused, and
the views and hits the tables counted against the 200 answers.
"""

from __future__ import annotations

import io
import math
import shutil
import threading
import time
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from resume.capacity import KEY_WRITE_UNITS_S
from resume_tools.errors import OpsError
from resume_tools.log import quiet

SCALE: Final = 100
VIEWS_PER_S: Final = 30  # one page's, three times a key's scaled 10 write units a second
HITS_PER_S: Final = 20  # the site total's, twice that
SECONDS: Final = 4
PAGE: Final = "%2F"
# Headroom under a key's limit when the shards are derived from the load.
HEADROOM: Final = 0.6
PORTS: Final = {"moto_port": 4799, "api_port": 4800, "site_port": 4801}
# A stage throttle above the load: this measures DynamoDB's limits, not the API's.
LOAD_ENV: Final = {"RESUME_THROTTLE_BURST_LIMIT": "400", "RESUME_THROTTLE_RATE_LIMIT_RPS": "200"}
BROWSER: Final = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def shards_for(per_s: float) -> int:
    """The write shards that keep `per_s` writes a second under a scaled key's limit."""
    return math.ceil(per_s / (KEY_WRITE_UNITS_S / SCALE * HEADROOM))


def hot_key_figures(root: Path, env: Mapping[str, str]) -> dict[str, Any]:
    """Both runs' numbers, before (one shard) and after (the shards the load needs)."""
    from resume_tools.deploy.deploy import deploy
    from resume_tools.local_cloud.cloud import emulator_env, local_cloud, local_config

    shutil.rmtree(root / ".local-cloud" / "cdktf.out", ignore_errors=True)
    env = {**env, **LOAD_ENV}
    with (
        redirect_stdout(io.StringIO()),
        local_cloud(root, PORTS, env, quiet, partition_limit_scale=SCALE) as cloud,
    ):
        limits = cloud.partition_limits
        if limits is None:
            raise OpsError("the local cloud started without its partition limits")
        before = _run(cloud, limits, 1, first_address=0)
        shards = shards_for(max(VIEWS_PER_S, HITS_PER_S))
        local_env = {**env, **emulator_env(cloud.emulator_endpoint)}
        config = replace(
            local_config(local_env, cloud.emulator_endpoint, PORTS), write_shards=shards
        )
        deploy(root, config, local_env, quiet)
        time.sleep(2)  # the local gateway loads the function with its new environment
        after = _run(cloud, limits, shards, first_address=10_000)
    return {
        "scale": SCALE,
        "key_write_units_s": KEY_WRITE_UNITS_S / SCALE,
        "load": {"views_per_s": VIEWS_PER_S, "hits_per_s": HITS_PER_S, "seconds": SECONDS},
        "before": before,
        "after": after,
        # Each 200 a count, with or without shards; and shards refuse nothing, lose nothing.
        "met": before["counted_matches_answers"]
        and after["counted_matches_answers"]
        and before["throttled_writes"] > 0
        and after["throttled_writes"] == 0
        and after["lost"] == 0,
    }


def _run(cloud: Any, limits: Any, shards: int, first_address: int) -> dict[str, Any]:
    """Send the load; what came back, what was refused, what was counted."""
    import requests as http

    from resume_tools.local_cloud.loopback import client_at

    def count(path: str, field: str) -> int:
        answer = http.get(f"{cloud.api_url}{path}", timeout=30)
        return int(answer.json()[field]) if answer.status_code == 200 else 0

    views_before = count(f"/pages/{PAGE}", "views")
    hits_before = _site_total(cloud, shards)
    limits.throttled.clear()
    statuses: Counter[str] = Counter()
    lock = threading.Lock()

    def send(n: int) -> None:
        path = f"/pages/{PAGE}" if n % (VIEWS_PER_S + HITS_PER_S) < VIEWS_PER_S else "/"
        address = _address(first_address + n)
        try:
            answer = client_at(address).post(
                cloud.api_url + path,
                headers={"User-Agent": BROWSER, "Origin": cloud.site_url},
                timeout=30,
            )
            outcome = f"{'page' if path != '/' else 'site'} {answer.status_code}"
        except http.RequestException:
            outcome = "failed"
        with lock:
            statuses[outcome] += 1

    rate = VIEWS_PER_S + HITS_PER_S
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for n in range(rate * SECONDS):
            time.sleep(max(0.0, start + n / rate - time.monotonic()))
            pool.submit(send, n)
    views = count(f"/pages/{PAGE}", "views") - views_before
    hits = _site_total(cloud, shards) - hits_before
    answered = statuses["page 200"] + statuses["site 200"]
    return {
        "shards": shards,
        "sent": rate * SECONDS,
        "answers": dict(sorted(statuses.items())),
        "throttled_writes": sum(
            n for (kind, _, _), n in limits.throttled.items() if kind == "write"
        ),
        "counted": views + hits,
        # A 200 is a counted view or hit; anything else is one the visitor lost.
        "lost": rate * SECONDS - answered,
        "counted_matches_answers": views == statuses["page 200"] and hits == statuses["site 200"],
    }


def _site_total(cloud: Any, shards: int) -> int:
    from resume_tools.local_cloud.cloud import emulator_client

    dynamodb = emulator_client("dynamodb", cloud.emulator_endpoint)
    return stored_site_total(
        dynamodb, cloud.deployment.backend.table_name, cloud.config.site_id, shards
    )


def stored_site_total(dynamodb: Any, table: str, site: str, shards: int) -> int:
    """The site total as stored, its write shards summed."""
    from visitor_counter import schema

    total = 0
    for shard in range(shards):
        item = dynamodb.get_item(
            TableName=table,
            Key={schema.PARTITION_KEY: {"S": schema.shard_key(site, shard)}},
            ConsistentRead=True,
        ).get("Item")
        total += int(item[schema.SITE_TOTAL_ATTRIBUTE]["N"]) if item else 0
    return total


def _address(n: int) -> str:
    """A loopback address of its own for the n-th request: one client, one view."""
    return f"127.1.{n // 250 % 250}.{n % 250 + 1}"
