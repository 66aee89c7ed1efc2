"""Unique visitors without cookies and without storing who they are.

A visitor is known for one UTC day by HMAC-SHA256(day's salt, site, IP, User-Agent, page):
only that hash (as a seen-marker's key, expiring at midnight) reaches the table. The salt is
32 random bytes made by the day's first counted request; making it deletes the past week's
salts, so yesterday's hashes cannot be recomputed from the table or linked to today's. The
IP and the User-Agent are read from the request, hashed and dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Final

from visitor_counter.page_store import PageCounts, PageStore
from visitor_counter.store import CountUnavailable, StoreUnavailable

SALT_BYTES: Final = 32
DIGEST_HEX_CHARS: Final = 32  # 128 bits: collisions are out of reach at any site's traffic
SWEEP_DAYS: Final = 7  # salts of days without views are swept too, up to a week back


def visitor_digest(salt: bytes, site_id: str, ip: str, user_agent: str, page: str) -> str:
    """The keyed hash that stands for one visitor of one page on the salt's day."""
    message = "\0".join((site_id, ip, user_agent, page)).encode("utf-8", "surrogatepass")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:DIGEST_HEX_CHARS]


def utc_day(now_s: float) -> tuple[str, int]:
    """The UTC day of `now_s` as YYYY-MM-DD, and the epoch second its next midnight starts."""
    day = datetime.fromtimestamp(now_s, UTC).date()
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
    return day.isoformat(), int(midnight.timestamp())


class DailySalt:
    """Today's salt, read once per container per day, made by the day's first request."""

    def __init__(
        self,
        store: PageStore,
        clock: Callable[[], float] = time.time,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        self._store = store
        self._clock = clock
        self._random_bytes = random_bytes
        self._cached: tuple[bytes, int] | None = None  # the salt, its day's end

    def today(self) -> tuple[bytes, int]:
        """Today's salt and the epoch second it stops being used (the next UTC midnight)."""
        now = self._clock()
        # Until the cached day ends, a view costs one clock read: no date arithmetic.
        if self._cached is None or now >= self._cached[1]:
            day, expires_at = utc_day(now)
            self._cached = (self._load_or_make(day, expires_at, now), expires_at)
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


class PageCounter:
    """Counts a page view, and a unique visitor the first time that day."""

    def __init__(self, store: PageStore, salt: DailySalt, site_id: str) -> None:
        self._store = store
        self._salt = salt
        self._site = site_id

    def count(self, page: str, ip: str, user_agent: str, *, track: bool) -> tuple[PageCounts, bool]:
        """Add a view; with `track`, also a visitor if new today. Returns (counts, new visitor).

        Two round trips (seen-marker, then counters); one when not tracked.
        """
        new_visitor = False
        if track:
            salt, expires_at = self._salt.today()
            digest = visitor_digest(salt, self._site, ip, user_agent, page)
            new_visitor = self._store.mark_seen(digest, expires_at)
        return self._store.add_view(page, new_visitor=new_visitor), new_visitor

    def read(self, page: str) -> PageCounts | None:
        """A page's counts, None when never viewed: one round trip."""
        return self._store.read(page)

    def top(self, limit: int) -> list[PageCounts]:
        """The most viewed pages: one round trip."""
        return self._store.top(limit)
