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
move their past day (a transaction: the page item, its history day and a part of the site's
day, schema.SITE_DAY_SPLIT parts a shard), moving the index entries of two indexes; a page
only a glob admits asks one of the day's lists of such pages first. What reads a split key
keeps the sum a second in each container (schema.OTHER_SHARDS_FOR_S), so its reads grow
with the containers, not the requests: the containers are at most the function's
concurrency. The config (resume.config) asks this module whether the traffic its throttle
lets through fits: `problems`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

from resume.route_throttles import route_throttles
from visitor_counter import schema
from visitor_counter.routes import PAGE, SITE_TOTAL, TOP_PAGES

KEY_WRITE_UNITS_S: Final = 1_000
KEY_READ_UNITS_S: Final = 3_000
API_ACCOUNT_RPS: Final = 10_000
ACCOUNT_CONCURRENCY: Final = 1_000
# A warm invocation's time: two DynamoDB round trips of a few ms each, and the handler
# (resume_tools.bench.cost bills it too).
WARM_INVOCATION_S: Final = 0.020
# A page item's write at its day's bound (50 referrer hosts of 64 characters, its views'
# 17 browser, system and device names, a 256-character page id: at most ~7.6 KB; and a
# count for each country CloudFront can name, 250 of ~11 bytes: ~10.3 KB in all); a
# client's at its bound (200 pages a day, ~9 KB). A refused write is billed as much.
PAGE_ITEM_UNITS_MAX: Final = 11
# Transactions write each item twice (DynamoDB Developer Guide, "Capacity management for
# transactions").
TRANSACTION_FACTOR: Final = 2
# The site's day a page day's move adds to: at most ~15 referrer hosts (schema.SITE_DAY_HOSTS
# and SITE_HOSTS_PER_MOVE), ~2.2 KB, and the agents' and countries' counts, ~2.9 KB: 5 write
# units, twice in the move's transaction.
SITE_DAY_UNITS_MAX: Final = 5
# A read takes a unit per 4 KB strongly consistent, half that eventually consistent.
READ_UNIT_KB: Final = 4
# A day's list of unlisted pages: up to 100 hashes of 16 characters, under 2 KB.
UNLISTED_LIST_UNITS: Final = 2
# An event's day at its bound: 20 listed pages' counts by id (of up to 256 bytes), their
# hashes and unique visitors by hash, and 10 targets' counts (of up to 100 characters) and
# hashes: ~7.1 KB (visitor_counter.events; measured in tests/function/test_event_targets.py).
# It was 5 units before uniques by page and targets, for ids of ~200.
EVENT_DAY_UNITS_MAX: Final = 8
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
    made_up_per_s: float = 0  # views of made-up pages past the day's cap of them
    events_per_s: float = 0  # events (POST /pages/{page} with an event), all of one name


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
    parts = schema.site_day_parts(shards)
    containers = capacity.concurrency  # each reads a split key's sum once a second at most
    listed = schema.unlisted_per_list(shards)  # pages one of the day's unlisted lists takes
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
        Load("the site's day after midnight (one part)",
             moves / parts * SITE_DAY_UNITS_MAX * TRANSACTION_FACTOR, KEY_WRITE_UNITS_S, wcu),
        Load("the site's day, made-up pages past the cap (one part)",
             # One made-up page's views go to its shards' parts only (a half of them).
             traffic.made_up_per_s / shards * SITE_DAY_UNITS_MAX, KEY_WRITE_UNITS_S, wcu),
        Load("a page's item, read by GETs, views' answers, the top list (each shard)",
             page_reads(traffic.reads_per_s, hot_page, traffic.page_item_units, capacity),
             KEY_READ_UNITS_S, rcu),
        # Split, every shard of each of its pages reads it once a day, and each container
        # once more when it finds it full; a page not in it writes, and every shard of a
        # page may read before the first write lands. Unsplit, there is no read, and every
        # ask writes until a container finds the list full.
        Load("a day's list of unlisted pages, read (one list)",
             min(listed * shards + containers, moves) * (shards > 1), KEY_READ_UNITS_S, rcu),
        Load("a day's list of unlisted pages, written (one list)",
             min(listed * shards if shards > 1 else listed + containers, moves)
             * UNLISTED_LIST_UNITS, KEY_WRITE_UNITS_S, wcu),
        # An event's day, in its write shards; a made-up name's first of the day in a
        # container reads the day's names (a full set is then kept: no more reads).
        Load("an event's day (one shard)",
             traffic.events_per_s / shards * EVENT_DAY_UNITS_MAX, KEY_WRITE_UNITS_S, wcu),
        Load("the day's event names, read (one key)",
             min(traffic.events_per_s, containers), KEY_READ_UNITS_S, rcu),
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


def key_loads(traffic: Traffic, capacity: Capacity) -> list[Load]:
    """The loads on DynamoDB's keys (not the throttles', Lambda's or the API's)."""
    return [
        load
        for load in loads(traffic, capacity)
        if load.limit in (KEY_WRITE_UNITS_S, KEY_READ_UNITS_S) and load.unit.endswith("units/s")
    ]


def page_reads(gets: float, views: float, item_units: int, capacity: Capacity) -> float:
    """Read units a second on each shard item of a page with `gets` GETs and `views` a second.

    Unsplit, a GET reads the one item strongly consistent, a view's answer nothing, and a
    top-list request every page eventually consistent (half the units) when a view has
    counted since its container last read them: the top route's share of the throttle at
    most. Split, each container reads every shard eventually consistent at most once a
    second for its GETs and once for its views' answers, and every page's once every
    TOP_PAGES_FOR_S for the top list.
    """
    per_read = math.ceil(item_units / READ_UNIT_KB)
    if capacity.write_shards == 1:
        return gets * per_read + capacity.route_rps(TOP_PAGES.key) * per_read / 2
    containers = capacity.concurrency / schema.OTHER_SHARDS_FOR_S
    top = capacity.concurrency / schema.TOP_PAGES_FOR_S
    return (min(gets, containers) + min(views, containers) + top) * per_read / 2


def first_limit(traffic: Traffic, capacity: Capacity) -> Load:
    """The limit `traffic` comes closest to, or passes furthest."""
    return max(loads(traffic, capacity), key=lambda load: load.share)


def throttled_worst(capacity: Capacity) -> Traffic:
    """The worst the stage throttle lets through.

    Each counting route at its share, every view on one page whose item is at its bound,
    every page's day moving at once; the same views as GETs of that page, as views of
    made-up pages past the day's cap, and as events of one name, instead: each its own worst.
    """
    views = capacity.route_rps(PAGE.key)
    return Traffic(
        views_per_s=views,
        hottest_page_share=1.0,
        hits_per_s=capacity.route_rps(SITE_TOTAL.key),
        pages=PAGES_ASSUMED,
        page_item_units=PAGE_ITEM_UNITS_MAX,
        reads_per_s=views,
        made_up_per_s=views,
        events_per_s=views,
    )


def shards_needed(capacity: Capacity) -> int:
    """The fewest write shards that keep every key under its limit at the throttle's worst.

    MAX_WRITE_SHARDS + 1 when none does.
    """
    for shards in range(1, schema.MAX_WRITE_SHARDS + 1):
        split = replace(capacity, write_shards=shards)
        if all(load.share <= 1 for load in key_loads(throttled_worst(split), split)):
            return shards
    return schema.MAX_WRITE_SHARDS + 1


def problems(capacity: Capacity) -> list[str]:
    """What the deployment cannot carry of what its throttle lets through.

    Each a sentence naming the setting and the limit; none when it carries all of it.
    """
    worst = throttled_worst(capacity)
    found = []
    busiest = max(key_loads(worst, capacity), key=lambda load: load.share)
    if busiest.share > 1:
        needed = shards_needed(capacity)
        change = (
            f"set write_shards to {needed} or more (it is {capacity.write_shards})"
            if needed <= schema.MAX_WRITE_SHARDS
            else f"no write_shards up to {schema.MAX_WRITE_SHARDS} carries it"
        )
        found.append(
            f"throttle_rate_limit_rps: {capacity.rate_limit_rps:g} lets {worst.views_per_s:,.0f} "
            f"views a second through to one page, {busiest.per_s:,.0f} {busiest.unit[:-2]} a "
            f"second on {busiest.name}, and DynamoDB takes {busiest.limit:,.0f} a second on one "
            f"key: {change}, or lower the throttle"
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
