"""Unique visitors and per-client limits without cookies and without storing who they are.

A client is known for one UTC day by HMAC-SHA256(day's salt, site, IP address), an IPv6
address by its /64, the pages it views by HMAC-SHA256(day's salt, page) tags, and the
first referrer source it names by such a tag: only those keyed hashes (an item of the daily
table, expiring at midnight) are stored. The User-Agent is not part of it, so a client
cannot become a new visitor, or escape its limit, by changing its User-Agent; people sharing
one address (a household, an office) count as one visitor per day. The salt is 32 random
bytes made by the day's first counted view; making it deletes the past week's salts, so
yesterday's hashes cannot be recomputed or linked to today's. The address is read from the
request, hashed and dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Final, NamedTuple

from visitor_counter import schema
from visitor_counter.daily_store import DailyStore
from visitor_counter.errors import CeilingReached, CountUnavailable, StoreUnavailable
from visitor_counter.history_store import DayView, HistoryStore, day_end
from visitor_counter.live_pages import LivePages
from visitor_counter.page_store import PageCounts, PageStore
from visitor_counter.referrers import is_named

SALT_BYTES: Final = 32
DIGEST_HEX_CHARS: Final = 32  # 128 bits: collisions are out of reach at any site's traffic
TAG_HEX_CHARS: Final = 12  # a page's or a source's tag: 48 bits
SWEEP_DAYS: Final = 7  # salts of days without views are swept too, up to a week back


def client_address(ip: str) -> str:
    """The address a client is known by: IPv4 as is, IPv6 as its /64 network.

    One subscriber usually gets a whole /64; counting its addresses apart would let one
    client be any number of visitors and escape its limit by rotating them.
    """
    if ":" not in ip:
        return ip
    try:
        return f"{ipaddress.IPv6Network(f'{ip}/64', strict=False).network_address}/64"
    except ValueError:
        return ip


def visitor_digest(salt: bytes, site_id: str, ip: str) -> str:
    """The keyed hash that stands for one client (address) on the salt's day."""
    message = "\0".join(("client", site_id, ip)).encode("utf-8", "surrogatepass")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:DIGEST_HEX_CHARS]


def page_tag(salt: bytes, page: str) -> str:
    """The keyed hash a client's item knows a page by on the salt's day (48 bits).

    Two of a site's pages share a tag with odds of about one in 10^7 (for 10,000 pages);
    they would then share one client's hourly limit and unique-visitor flag for a day.
    """
    return _tag(salt, "page", page)


def event_tag(salt: bytes, name: str) -> str:
    """The keyed hash a client's item knows an event by on the salt's day (as page_tag)."""
    return _tag(salt, "event", name)


def event_page_tag(salt: bytes, name: str, page: str) -> str:
    """The keyed hash a client's item knows an event on one page by (its unique per page)."""
    return _tag(salt, "event-page", f"{name}\0{page}")


def source_tag(salt: bytes, source: str) -> str:
    """The keyed hash a client's item knows its referrer source by on the salt's day.

    Keyed like the pages' tags, so the daily table does not say where an address came from.
    """
    return _tag(salt, "source", source)


def _tag(salt: bytes, kind: str, value: str) -> str:
    message = "\0".join((kind, value)).encode("utf-8", "surrogatepass")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:TAG_HEX_CHARS]


def utc_day(now_s: float) -> tuple[str, int]:
    """The UTC day of `now_s` as YYYY-MM-DD, and the epoch second its next midnight starts."""
    day = datetime.fromtimestamp(now_s, UTC).date()
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
    return day.isoformat(), int(midnight.timestamp())


class SaltedDay(NamedTuple):
    """A UTC day's salt, the epoch second the day ends (its next midnight), the day."""

    salt: bytes
    ends_at: int
    day: str


class DailySalt:
    """Today's salt, read once per container per day, made by the day's first request."""

    def __init__(
        self,
        store: DailyStore,
        clock: Callable[[], float] = time.time,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        self._store = store
        self._clock = clock
        self._random_bytes = random_bytes
        self._cached: SaltedDay | None = None

    def today(self) -> SaltedDay:
        """Today's salt, the epoch second it stops being used (the next UTC midnight), the day."""
        now = self._clock()
        # Until the cached day ends, a view costs one clock read: no date arithmetic.
        if self._cached is None or now >= self._cached.ends_at:
            day, expires_at = utc_day(now)
            self._cached = SaltedDay(self._load_or_make(day, expires_at, now), expires_at, day)
        return self._cached

    def _load_or_make(self, day: str, expires_at: int, now: float) -> bytes:
        salt = self._store.salt(day)
        if salt is not None:
            return salt
        salt = self._random_bytes(SALT_BYTES)
        if not self._store.create_salt(day, salt, expires_at):
            # Another container made today's salt between our read and our write: use theirs.
            theirs = self._store.salt(day)
            if theirs is None:
                raise CountUnavailable("today's salt vanished right after it was made")
            return theirs
        # Their TTL deletes old salts too, but only within days: delete the last week's now,
        # in one call. Best effort: the view must not fail for it, and the TTL remains.
        past_days = [utc_day(now - back * 86_400)[0] for back in range(1, SWEEP_DAYS + 1)]
        with suppress(StoreUnavailable, CountUnavailable):
            self._store.delete_salts(past_days)
        return salt


# How often an open container reads the site's day views, to close at the daily ceiling
# even when its own requests never update the site's day.
CEILING_LOOK_S: Final = 60
# Writes a day of the ceiling's estimate at the ceiling: each open container adds its views
# max_views_per_day / CEILING_SAMPLES at a time (20 at the default 20,000), so the estimate
# lags the views by fewer than that per container; a ceiling below it counts every view.
CEILING_SAMPLES: Final = 1_000


def estimate_weight(views_per_day: int) -> int:
    """How many views a container adds to the day's estimate at a time, for a ceiling."""
    return max(1, views_per_day // CEILING_SAMPLES)


@dataclass(frozen=True)
class ViewResult:
    """A page view's outcome: the page's counts, whether it counted, whether a new visitor."""

    counts: PageCounts
    counted: bool
    new_visitor: bool


class PageCounter:
    """Counts a page view within its client's limits, a unique visitor per day, its history."""

    def __init__(
        self,
        pages: PageStore,
        live: LivePages,
        daily: DailyStore,
        history: HistoryStore,
        salt: DailySalt,
        *,
        site_id: str,
        views_per_client_hour: int,
        retention_days: int,
        views_per_day: int,
        shards: int = 1,
        clock: Callable[[], float] = time.time,
        pick: Callable[[int], int] = lambda shards: 0,
    ) -> None:
        self._pages = pages
        self._live = live
        self._daily = daily
        self._history = history
        self._salt = salt
        self._site = site_id
        self._limit = views_per_client_hour
        self._retention_s = retention_days * 86_400
        self._views_per_day = views_per_day
        # The day's estimate: each container adds its views `_sample_weight` at a time, so
        # CEILING_SAMPLES writes a day at the ceiling (every view below it); its views not
        # yet added (fewer than the weight each) are what the estimate lacks.
        self._sample_weight = estimate_weight(views_per_day)
        self._unsampled = ("", 0)  # this container's views of a day not yet added
        self._clock = clock
        self._shards = shards
        self._pick = pick  # a view's write shard (schema.shard_key): each in turn
        # Until when this container counts nothing: the next midnight, once it has seen the
        # site's day reach its ceiling (other containers learn it from their next look).
        self._closed_until = 0.0
        self._next_look = 0.0  # when this container next reads the site's day views
        # The last top list read: for which pages, when, and the pages' counts in order.
        self._top: tuple[frozenset[str], float, list[PageCounts]] | None = None

    def count(
        self,
        page: str,
        ip: str,
        *,
        track: bool,
        source: str,
        listed: bool,
        agents: tuple[str, ...] = (),
    ) -> ViewResult:
        """Add a view from `source` unless the client is over a limit; with `track`, a visitor.

        Two round trips: the client's item, then the page's live day (live_pages); a page's
        first view of a day moves its past day to the history (two more), an unlisted page's
        new day counts in the site's day (one more), and one view in `_sample_weight` adds to the
        day's estimate (docs/counting.md has the table). Over the limit, one more reads the
        counts instead. Once the site's day has counted `views_per_day` (as its estimate says), none
        until midnight UTC: CeilingReached, before any round trip. A client that opted out
        (not `track`) is limited all the same, but never counted as a visitor. A page not
        `listed` (only a glob admits it) is counted, but kept out of the public top list.
        `agents`: the day's attributes its browser, system and device add one to.
        """
        self.check_ceiling()
        salt, midnight, day = self._salt.today()
        now = self._clock()
        client = self._daily.record_view(
            visitor_digest(salt, self._site, client_address(ip)),
            page_tag(salt, page),
            hour=int(now // 3600 % 24),
            limit=self._limit,
            visitor=track,
            source_tag=source_tag(salt, source) if is_named(source) else None,
            expires_at=midnight,
        )
        if not client.within_limit:
            return ViewResult(self.read(page) or PageCounts(page, 0, 0), False, False)
        view = DayView(
            day,
            page,
            listed=listed,
            source=source,
            new_page_visitor=client.new_page_visitor,
            new_site_visitor=client.new_site_visitor,
            # One client brings the day one source of its own at most: else one address
            # could fill the site's day with made-up hosts, a new one on each page.
            new_host_allowed=client.own_source,
            shard=self._pick(self._shards),
            agents=agents,
        )
        live = self._live.add_view(view)
        # The day the page counted it in (a view its page's day has left counts in that).
        day = live.day
        if live.overflow:
            # A day's site item is kept as long as its pages' days: retention_days after it.
            kept_until = day_end(day) + self._retention_s
            self._history.add_overflow_view(replace(view, day=day), expires_at=kept_until)
        self.add_to_estimate(day)
        if self._shards == 1:
            # This container's list no longer holds this view. Split (a busy site), it keeps
            # its age: else every top-list request of a busy container would read every
            # shard of every page (resume.capacity).
            self._top = None
        return ViewResult(live.counts, True, client.new_page_visitor)

    def add_to_estimate(self, day: str) -> None:
        """Count a view or an event of `day` in the ceiling's estimate.

        The estimate is the ceiling's, not a count: a failure to add to it fails nothing.
        """
        midnight = day_end(day)
        with suppress(StoreUnavailable, CountUnavailable):
            self._sample(day, midnight, midnight + self._retention_s)

    def _sample(self, day: str, midnight: int, kept_until: int) -> None:
        """Add this container's views to the day's estimate, `_sample_weight` at a time."""
        if self._unsampled[0] != day:
            self._unsampled = (day, 0)  # a past day's few are past the ceiling's concern
        views = self._unsampled[1] + 1
        if views < self._sample_weight:
            self._unsampled = (day, views)
            return
        self._unsampled = (day, 0)
        if self._history.add_estimate(day, views, expires_at=kept_until) >= self._views_per_day:
            self._close(midnight)

    def check_ceiling(self) -> None:
        """Raise CeilingReached while the site's day is past its ceiling.

        No round trip once closed. While open, a container looks at the site's day's
        estimate on its first counting request and then once every CEILING_LOOK_S (half a
        read unit): so a container that only counts `POST /`, or only meets clients over
        their limit, or whose views are not in the sample, or starts after the ceiling,
        closes too.
        """
        now = self._clock()
        if now < self._closed_until:
            raise CeilingReached(int(self._closed_until - now) + 1)
        if now >= self._next_look:
            self._next_look = now + CEILING_LOOK_S
            day, midnight = utc_day(now)
            if self._history.site_views(day) >= self._views_per_day:
                self._close(midnight)
                raise CeilingReached(int(midnight - now) + 1)

    def _close(self, midnight: float) -> None:
        # Never earlier than a close already made (threads of the local gateway may race).
        self._closed_until = max(self._closed_until, midnight)

    def read(self, page: str) -> PageCounts | None:
        """A page's counts, None when never viewed: one round trip."""
        return self._pages.read(page)

    def top(self, pages: frozenset[str], limit: int) -> list[PageCounts]:
        """The most viewed of `pages` (the site's listed pages), most first, then by id.

        Read with a BatchGetItem per 100 pages, and kept TOP_PAGES_FOR_S in the container
        (unsplit, until it counts a view): no index has to move each page's entry on every
        view (two write units a view), and a flood of top-list requests reads the table at
        most once a minute per container (split; unsplit, once a view).
        """
        now = self._clock()
        top = self._top  # read once: a view counted meanwhile may clear it
        if top is None or top[0] != pages or now - top[1] >= schema.TOP_PAGES_FOR_S:
            counts = self._pages.counts_of(sorted(pages))
            top = (pages, now, sorted(counts, key=lambda c: (-c.views, c.page)))
            self._top = top
        return top[2][:limit]
