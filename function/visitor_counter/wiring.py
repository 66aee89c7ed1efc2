"""The one place the counter is assembled: settings and a client in, a ready Router out.

The Lambda module, the tests and the benchmark all build their router here, so they run
the same wiring the deployed function runs.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from visitor_counter import schema
from visitor_counter.counting_rules import BotRules, default_bot_rules
from visitor_counter.daily_store import DailyStore
from visitor_counter.day_reader import DayReader
from visitor_counter.events import EventCounter, EventStore
from visitor_counter.history_store import HistoryStore
from visitor_counter.known_pages import KnownPagesCache
from visitor_counter.live_pages import LivePages
from visitor_counter.page_store import PageStore
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.sites import Sites
from visitor_counter.stats import StatsReader
from visitor_counter.stats_access import StatsGate
from visitor_counter.store import SiteTotal
from visitor_counter.telemetry import RequestLog
from visitor_counter.visitors import DailySalt, PageCounter


def build_router(
    settings: Settings,
    client: Any,
    *,
    requests: RequestLog | None = None,
    clock: Callable[[], float] = time.time,
    bots: BotRules | None = None,
    pick: Callable[[], Callable[[int], int]] | None = None,
) -> Router:
    """A Router over `client` (botocore DynamoDB, or a stand-in with the same calls).

    `requests` defaults to a RequestLog on stdout at the settings' level; `clock` is what the
    daily salt reads the time from (tests move it across midnight); `bots` to the packaged
    crawler list's rules, read here: a function without them fails its cold start; `pick`
    makes what chooses a write's shard (each in turn from a random one; tests choose).
    """
    shards = settings.write_shards
    pages = PageStore(client, settings.table_name, settings.site_id, shards, clock)
    daily = DailyStore(client, settings.daily_table, settings.site_id)
    history = HistoryStore(client, settings.history_table, settings.site_id, shards)
    listed_events = frozenset(name for name in settings.event_names if not name.endswith("*"))
    events = EventStore(client, settings.history_table, settings.site_id, shards, listed_events)
    live = LivePages(
        client,
        settings.table_name,
        history,
        settings.site_id,
        retention_days=settings.stats_retention_days,
        shards=shards,
        clock=clock,
    )
    salt = DailySalt(daily, clock)
    counter = PageCounter(
        pages,
        live,
        daily,
        history,
        salt,
        site_id=settings.site_id,
        views_per_client_hour=settings.max_views_per_client_hour,
        retention_days=settings.stats_retention_days,
        views_per_day=settings.max_views_per_day,
        shards=shards,
        clock=clock,
        pick=(pick or round_robin)(),
    )
    return Router(
        settings,
        bots or default_bot_rules(),
        SiteTotal(client, settings.table_name, shards, (pick or round_robin)(), clock),
        counter,
        EventCounter(
            events,
            daily,
            salt,
            site_id=settings.site_id,
            per_client_hour=settings.max_views_per_client_hour,
            retention_days=settings.stats_retention_days,
            estimate=counter.add_to_estimate,
            shards=shards,
            clock=clock,
            pick=(pick or round_robin)(),
        ),
        KnownPagesCache(pages, settings.known_pages_refresh_s, clock),
        StatsReader(DayReader(history, live), events, clock),
        StatsGate(
            client,
            settings.table_name,
            settings.site_id,
            public=settings.stats_access == "public",
        ),
        requests or RequestLog(settings.site_id, settings.log_level),
    )


def build_sites(
    settings: Settings, client: Any, site_client: Callable[[str], Any] | None = None
) -> Sites:
    """The deployment's sites, each a router of its own (sites.py).

    The first is the settings' own site, over `client`; each other has its id, its origins
    and every other setting of the first (the tables, limits, shards, event names, the
    secret), over `site_client(its id)`: the handler's signs as that site alone
    (site_sessions.py); without one, `client` serves every site (tests, the bench).
    """
    others = {
        site: (
            build_router(
                replace(settings, site_id=site, allowed_origins=origins),
                site_client(site) if site_client else client,
            ),
            origins,
        )
        for site, origins in settings.other_sites
    }
    return Sites(build_router(settings, client), others)


def round_robin() -> Callable[[int], int]:
    """Each write shard in turn, from a random one: a container's writes spread evenly.

    Random picks would bunch: at 6 writes a shard a second, one second in 25 would put 11 on
    one shard. In turn, a container never writes one shard more often than its share; the
    random start keeps containers from all starting on shard 0.
    """
    turns = itertools.count(random.randrange(schema.MAX_WRITE_SHARDS))  # noqa: S311 - a spread
    return lambda shards: next(turns) % shards
