"""The capacity model: what a traffic shape asks of every key and limit, and which it meets first.

Limits, as AWS documents them (defaults; the account-wide ones can be raised on request):
DynamoDB serves one partition key, and one partition key of an index, at most 1,000 write
units and 3,000 read units a second (Developer Guide, "Partitions and data distribution"
and "Designing partition keys to distribute your workload"); a transaction's write counts
twice. The HTTP API takes 10,000 requests a second per account and Region (API Gateway
quotas), Lambda runs 1,000 functions at once per account and Region, and the stage throttle
gives each route its share (resume.route_throttles).

What a view writes (visitor_counter.live_pages): one write of its client's item and one of
its page's item in one write shard; a page item's write is 1 unit under 1 KB and up to
PAGE_ITEM_UNITS_MAX at its day's 50 referrer hosts. After midnight each page's shard items
move their past day (a transaction: the page item, its history day and the site's day, in
the same shard), moving the index entries of two indexes. The config (resume.config) asks
this module whether the traffic its throttle lets through fits: `problems`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from resume.route_throttles import route_throttles
from visitor_counter.routes import PAGE, SITE_TOTAL

KEY_WRITE_UNITS_S: Final = 1_000
KEY_READ_UNITS_S: Final = 3_000
API_ACCOUNT_RPS: Final = 10_000
ACCOUNT_CONCURRENCY: Final = 1_000
# A warm invocation's time: two DynamoDB round trips of a few ms each, and the handler
# (resume_tools.bench.cost bills it too).
WARM_INVOCATION_S: Final = 0.020
# A page item's write at its day's bound (50 referrer hosts, ~7 KB); a client's at its
# bound (200 pages a day, ~9 KB). A refused write is billed as much.
PAGE_ITEM_UNITS_MAX: Final = 7
# Transactions write each item twice (DynamoDB Developer Guide, "Capacity management for
# transactions").
TRANSACTION_FACTOR: Final = 2
# The site's day a page day's move adds to: at most ~15 referrer hosts (schema.SITE_DAY_HOSTS
# and SITE_HOSTS_PER_MOVE), ~2.2 KB: 3 write units, twice in the move's transaction.
SITE_DAY_UNITS_MAX: Final = 3
# A read takes a unit per 4 KB strongly consistent, half that eventually consistent.
READ_UNIT_KB: Final = 4
# Pages whose days move into the site's day after midnight: the site's own (assumed, as the
# cost model's top list) and the day's listed unlisted ones (schema.MAX_UNLISTED_PAGES_PER_DAY).
PAGES_ASSUMED: Final = 100 + 100


@dataclass(frozen=True)
class Traffic:
    """A shape of traffic, a second at its peak."""

    views_per_s: float  # counted page views of the whole site
    hottest_page_share: float  # the share of them on its most viewed page
    hits_per_s: float = 0  # POST / (the original contract's site total)
    pages: int = 20  # pages with views in a day: their days move after midnight
    page_item_units: int = 1  # a page item's write: 1 under 1 KB, up to PAGE_ITEM_UNITS_MAX
    reads_per_s: float = 0  # GET /pages/{page} of the most viewed page


@dataclass(frozen=True)
class Capacity:
    """The deployment's side: its throttle, its function's concurrency, its write shards."""

    rate_limit_rps: float
    burst_limit: int
    reserved_concurrency: int  # -1: none reserved (the account's)
    write_shards: int
    estimate_weight: int  # views a container adds to the ceiling's estimate at a time

    @property
    def concurrency(self) -> int:
        """How many invocations may run at once."""
        if self.reserved_concurrency < 0:
            return ACCOUNT_CONCURRENCY
        return self.reserved_concurrency

    def route_rps(self, route: str) -> float:
        """A route's share of the stage throttle, a second."""
        return route_throttles(self.burst_limit, self.rate_limit_rps)[route].rate_rps


@dataclass(frozen=True)
class Load:
    """What the traffic asks of one limit: the busiest key of a kind, or a service's."""

    name: str
    per_s: float
    limit: float
    unit: str

    @property
    def share(self) -> float:
        """The load as a share of the limit (over 1: throttled)."""
        return self.per_s / self.limit


def loads(traffic: Traffic, capacity: Capacity) -> list[Load]:
    """What `traffic` asks of each limit `capacity` meets, busiest key of each kind."""
    shards = capacity.write_shards
    hot_page = traffic.views_per_s * traffic.hottest_page_share
    # After midnight, every page's shard items move in the day's first second at most.
    moves = min(traffic.pages * shards, traffic.views_per_s)
    requests = traffic.views_per_s + traffic.hits_per_s
    wcu, rcu, rps = "write units/s", "read units/s", "requests/s"
    return [
        Load("a page's item (one shard)", hot_page * traffic.page_item_units / shards,
             KEY_WRITE_UNITS_S, wcu),
        Load("the site total, POST / (one shard)", traffic.hits_per_s / shards,
             KEY_WRITE_UNITS_S, wcu),
        # Its answer reads the other shards: POST / each time, a view once a second a
        # container (so at most what one container can serve: its requests a second).
        Load("the site total's shard, read by POST /", traffic.hits_per_s * 0.5 * (shards > 1),
             KEY_READ_UNITS_S, rcu),
        Load("the site's day after midnight (one shard)",
             moves / shards * SITE_DAY_UNITS_MAX * TRANSACTION_FACTOR, KEY_WRITE_UNITS_S, wcu),
        # Every shard of it, strongly consistent unsplit, eventually split (page_store).
        Load("a page's item, read by GET /pages/{page} (each shard)",
             traffic.reads_per_s * read_units(traffic.page_item_units, shards),
             KEY_READ_UNITS_S, rcu),
        Load("the live-days index after midnight (one partition)",
             moves / shards * 2, KEY_WRITE_UNITS_S, wcu),
        Load("the pages-by-day index after midnight (one partition)",
             moves / shards, KEY_WRITE_UNITS_S, wcu),
        Load("the daily ceiling's estimate (the site's day)",
             traffic.views_per_s / capacity.estimate_weight, KEY_WRITE_UNITS_S, wcu),
        Load("the pages route's throttle", traffic.views_per_s, capacity.route_rps(PAGE.key),
             rps),
        Load("the site total route's throttle", traffic.hits_per_s,
             capacity.route_rps(SITE_TOTAL.key), rps),
        Load("Lambda's concurrency", requests * WARM_INVOCATION_S, capacity.concurrency,
             "invocations at once"),
        Load("the HTTP API's requests (account, Region)", requests, API_ACCOUNT_RPS, rps),
    ]  # fmt: skip


def first_limit(traffic: Traffic, capacity: Capacity) -> Load:
    """The limit `traffic` comes closest to, or passes furthest."""
    return max(loads(traffic, capacity), key=lambda load: load.share)


def throttled_worst(capacity: Capacity) -> Traffic:
    """The worst the stage throttle lets through.

    Each counting route at its share, every view on one page whose item is at its bound,
    every page's day moving at once.
    """
    views = capacity.route_rps(PAGE.key)
    return Traffic(
        views_per_s=views,
        hottest_page_share=1.0,
        hits_per_s=capacity.route_rps(SITE_TOTAL.key),
        pages=PAGES_ASSUMED,
        page_item_units=PAGE_ITEM_UNITS_MAX,
        reads_per_s=views,  # the same route's requests as reads instead: each its own worst
    )


def read_units(item_units: int, shards: int) -> float:
    """Read units of one shard's item in a GET: strongly consistent unsplit, else not."""
    per_read = math.ceil(item_units / READ_UNIT_KB)
    return per_read if shards == 1 else per_read / 2


def shards_needed(capacity: Capacity) -> int:
    """The fewest write shards that carry the worst the throttle lets through."""
    worst = throttled_worst(capacity)
    moves = min(worst.pages * capacity.write_shards, worst.views_per_s)
    per_key = max(
        worst.views_per_s * worst.page_item_units,  # one page's item
        worst.hits_per_s,  # the site total
        moves * SITE_DAY_UNITS_MAX * TRANSACTION_FACTOR,  # the site's day after midnight
    )
    return max(1, math.ceil(per_key / KEY_WRITE_UNITS_S))


def problems(capacity: Capacity) -> list[str]:
    """What the deployment cannot carry of what its throttle lets through.

    Each a sentence naming the setting and the limit; none when it carries all of it.
    """
    worst = throttled_worst(capacity)
    found = []
    needed = shards_needed(capacity)
    if capacity.write_shards < needed:
        found.append(
            f"throttle_rate_limit_rps: {capacity.rate_limit_rps:g} lets "
            f"{worst.views_per_s:,.0f} views a second reach one page, up to "
            f"{worst.views_per_s * PAGE_ITEM_UNITS_MAX:,.0f} write units a second on its item, "
            f"and DynamoDB takes {KEY_WRITE_UNITS_S:,} a second on one key: set write_shards "
            f"to {needed} or more (it is {capacity.write_shards}), or lower the throttle"
        )
    reads = worst.reads_per_s * read_units(worst.page_item_units, capacity.write_shards)
    if reads > KEY_READ_UNITS_S:
        found.append(
            f"throttle_rate_limit_rps: {capacity.rate_limit_rps:g} lets {worst.reads_per_s:,.0f} "
            f"reads a second reach one page, {reads:,.0f} read units on each of its items, and "
            f"DynamoDB takes {KEY_READ_UNITS_S:,} a second on one key (write shards do not "
            "split a page's reads): lower the throttle"
        )
    requests = worst.views_per_s + worst.hits_per_s
    at_once = requests * WARM_INVOCATION_S
    # 0 reserved is Lambda's off switch (every invocation refused): nothing to carry.
    if capacity.reserved_concurrency != 0 and at_once > capacity.concurrency:
        found.append(
            f"throttle_rate_limit_rps: {capacity.rate_limit_rps:g} lets {requests:,.0f} "
            f"counting requests a second through, about {at_once:,.0f} invocations at once "
            f"({WARM_INVOCATION_S * 1000:.0f} ms each), and the function may run "
            f"{capacity.concurrency:,}: raise lambda_reserved_concurrency (-1: the "
            f"account's {ACCOUNT_CONCURRENCY:,}), or lower the throttle"
        )
    return found
