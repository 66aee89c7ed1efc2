"""The capacity table the README shows: traffic shapes against the default and a large site.

resume.capacity computes each row; tests/tooling/test_capacity_table.py keeps the README in
step with it.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from resume.capacity import Capacity, Traffic, first_limit, key_loads, throttled_worst
from resume.config import AppConfig


def large_site() -> AppConfig:
    """A site with real traffic.

    The HTTP API's throttle at the account's default quota (10,000 requests a second, burst
    5,000), 900 of the account's 1,000 concurrent functions (each container reads a split
    page's shards once a second: more containers, more reads), the write shards that throttle
    needs
    (resume.capacity), a ceiling out of the way.
    """
    return dataclasses.replace(
        AppConfig(),
        throttle_rate_limit_rps=10_000.0,
        throttle_burst_limit=5_000,
        lambda_reserved_concurrency=900,
        write_shards=50,
        max_views_per_day=100_000_000,
        request_alarm_per_5min=10_000_000,
    )


# A front page on a large aggregator: many views, most of them on one post.
SPIKE: Final = Traffic(views_per_s=1_000, hottest_page_share=0.9, hits_per_s=0, pages=20)
# Internet scale: 10,000 counted views a second, 1,000 of them (and 1,000 GETs) on one page.
INTERNET_SCALE: Final = Traffic(
    views_per_s=10_000, hottest_page_share=0.1, hits_per_s=1_000, pages=200, reads_per_s=1_000
)


def rows() -> list[tuple[str, str, Traffic, Capacity]]:
    """The table's rows: (configuration, traffic, its shape, the configuration's side).

    Each configuration at the worst its throttle lets through, and at a spike and at
    internet scale.
    """
    default = AppConfig().capacity
    large = large_site().capacity
    return [
        ("default", "the worst its throttle lets through", throttled_worst(default), default),
        ("default", "1,000 views/s, 90% on one page", SPIKE, default),
        ("large site", "the worst its throttle lets through", throttled_worst(large), large),
        ("large site", "10,000 views/s, 1,000 on one page", INTERNET_SCALE, large),
    ]


def capacity_table() -> str:
    """The Markdown table: the busiest DynamoDB key and the first limit each row meets.

    Both under the traffic offered: the keys as if every request were let through (what
    the design carries), the first limit whatever it is (the throttle, by choice, or an
    account's quota).
    """
    lines = [
        "| configuration | traffic offered | busiest DynamoDB key | its units/s (of its "
        "limit) | first limit met | offered / limit |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for config, shape, traffic, capacity in rows():
        busiest = max(key_loads(traffic, capacity), key=lambda load: load.share)
        first = first_limit(traffic, capacity)
        lines.append(
            f"| {config} | {shape} | {busiest.name} | {busiest.per_s:,.0f} "
            f"({busiest.limit:,.0f}) | {first.name} | {first.share:.2f} |"
        )
    return "\n".join(lines)
