"""The owner's read API over the history: days, pages, referrers and a CSV export.

Every route takes a range of UTC days, ``from`` and ``to`` inclusive (default: the last 30
days), at most MAX_RANGE_DAYS long; each names the parameters it takes and refuses others.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final
from urllib.parse import parse_qsl

from visitor_counter.agents import by_kind
from visitor_counter.day_reader import DayReader
from visitor_counter.errors import BadRequest
from visitor_counter.events import EventStore
from visitor_counter.history_store import DayCounts
from visitor_counter.http import whole_number
from visitor_counter.pages import InvalidPage, normalize_page

MAX_RANGE_DAYS: Final = 400
DEFAULT_RANGE_DAYS: Final = 30
DEFAULT_PAGES: Final = 10
MAX_PAGES: Final = 100
CSV_TYPE: Final = "text/csv; charset=utf-8"
CSV_HEADER: Final = ("date", "page", "views", "visitors")
# Page days the range-wide routes read at most: 50,000 make ~2 MB of CSV and a few seconds
# of queries, within Lambda's 6 MB response and the function's timeout. A range holding
# more is answered all the same, its oldest days' views as "other" (the owner's stats must
# never be out of reach because of what visitors did).
MAX_PAGE_DAYS: Final = 50_000
# The page column of a day's views on pages the rows do not show (no page id is spelled so).
OTHER_PAGES: Final = "other"
# The CSV's rows of an event: its name after this in the page column (no page id starts so).
EVENT_ROW_PREFIX: Final = "event:"
FIRST_YEAR: Final = 2000
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class StatsQuery:
    """A stats request's parameters, valid."""

    first: date
    last: date
    page: str | None = None
    limit: int = DEFAULT_PAGES

    def days(self) -> list[str]:
        """Every day of the range, oldest first."""
        count = (self.last - self.first).days + 1
        return [(self.first + timedelta(days=n)).isoformat() for n in range(count)]

    def as_json(self) -> dict[str, Any]:
        """The range as every answer repeats it."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


@dataclass(frozen=True)
class RangePages:
    """A range's page days as the range-wide routes show them, and the views they leave out.

    `other` holds, per day, the site's views that no page day of `days` shows: views of
    pages past a day's cap of unlisted pages (history_store), and of days past MAX_PAGE_DAYS.
    """

    days: list[DayCounts]
    other: dict[str, int]


@dataclass(frozen=True)
class TextBody:
    """An answer that is not JSON: its text, type and headers of its own."""

    body: str
    content_type: str
    headers: dict[str, str]


def parse_query(query: str, accepted: Iterable[str], today: date) -> StatsQuery:
    """The parameters of a stats request; BadRequest(400) naming the first that is wrong."""
    accepted = tuple(accepted)
    params: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in accepted:
            raise BadRequest(
                400, f"Unknown query parameter {name!r}: this route takes {', '.join(accepted)}."
            )
        if name in params:
            raise BadRequest(400, f"Query parameter {name!r} is given twice.")
        params[name] = value
    last = _date(params, "to", today)
    first = _date(params, "from", last - timedelta(days=DEFAULT_RANGE_DAYS - 1))
    if first > last:
        raise BadRequest(400, f"from ({first}) is after to ({last}).")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise BadRequest(
            400, f"The range from {first} to {last} is longer than {MAX_RANGE_DAYS} days."
        )
    return StatsQuery(first, last, _page(params), _limit(params))


class StatsReader:
    """Answers the stats routes from the days, past and live."""

    def __init__(
        self, days: DayReader, events: EventStore, clock: Callable[[], float] = time.time
    ) -> None:
        self._days = days
        self._events = events
        self._clock = clock

    def today(self) -> date:
        """Today in UTC: the default end of a range."""
        return datetime.fromtimestamp(self._clock(), UTC).date()

    def daily(self, query: StatsQuery) -> dict[str, Any]:
        """Views and visitors of every day of the range, zeros included.

        With the range's views by browser, system and device class (`agents`, read with the
        days: no round trip more) and its events.
        """
        found = {day.day: day for day in self._days_of(query)}
        agents: Counter[str] = Counter()
        for day in found.values():
            agents.update(day.agents)
        days = [
            {
                "date": day,
                "views": found[day].views if day in found else 0,
                "visitors": found[day].visitors if day in found else 0,
            }
            for day in query.days()
        ]
        # The range's events too: the stats page reads both in one request (a look at it is
        # three requests with their preflights, within the stats route's burst).
        events = self._events.totals(*_bounds(query), query.page)
        return {
            "page": query.page,
            **query.as_json(),
            "days": days,
            "agents": by_kind(dict(agents)),
            "events": [event.as_json() for event in events],
        }

    def pages(self, query: StatsQuery) -> dict[str, Any]:
        """The range's most viewed pages, and the views of the others ("other").

        Visitors are daily unique visitors, summed.
        """
        found = self._range_pages(query)
        views: Counter[str] = Counter()
        visitors: Counter[str] = Counter()
        for day in found.days:
            views[str(day.page)] += day.views
            visitors[str(day.page)] += day.visitors
        ranked = sorted(views, key=lambda page: (-views[page], page))[: query.limit]
        pages = [{"page": p, "views": views[p], "visitors": visitors[p]} for p in ranked]
        other = views.total() - sum(views[p] for p in ranked) + sum(found.other.values())
        return {**query.as_json(), "pages": pages, "other": {"views": other}}

    def referrers(self, query: StatsQuery) -> dict[str, Any]:
        """The range's referrer sources, most views first."""
        views: Counter[str] = Counter()
        for day in self._days_of(query):
            views.update(day.referrers)
        ranked = sorted(views, key=lambda source: (-views[source], source))
        referrers = [{"source": source, "views": views[source]} for source in ranked]
        return {"page": query.page, **query.as_json(), "referrers": referrers}

    def events(self, query: StatsQuery) -> dict[str, Any]:
        """Each event's count and unique visitors over the range, most first.

        On one page (`page`), its count and unique visitors there (counted by page since
        uniques by page began: before, 0).
        """
        events = self._events.totals(*_bounds(query), query.page)
        return {
            "page": query.page,
            **query.as_json(),
            "events": [event.as_json() for event in events],
        }

    def export_csv(self, query: StatsQuery) -> TextBody:
        """One row per page per day with views, oldest day first, as CSV (RFC 4180).

        A day's views that no row shows follow its rows as one "other" row, its visitors
        left empty (unique visitors of several pages do not add up); then its events, one
        row each: "event:" and the name as the page, the count as the views.
        """
        found = self._range_pages(query)
        rows: list[tuple[str, str, int, int | str]] = [
            (day.day, str(day.page), day.views, day.visitors) for day in found.days
        ]
        rows += [(day, OTHER_PAGES, views, "") for day, views in found.other.items()]
        rows += [
            (event.day, EVENT_ROW_PREFIX + event.event, event.count, event.visitors)
            for event in self._events.days(*_bounds(query))
        ]
        rows.sort(key=lambda row: (row[0], _row_rank(row[1]), row[1]))
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(rows)
        name = f"stats-{query.first}-to-{query.last}.csv"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return TextBody(text.getvalue(), CSV_TYPE, headers)

    def _days_of(self, query: StatsQuery) -> list[DayCounts]:
        if query.page is None:
            return self._days.site(*_bounds(query), most=MAX_PAGE_DAYS)
        return self._days.page(*_bounds(query), query.page)

    def _range_pages(self, query: StatsQuery) -> RangePages:
        """The range's page days, whole days only, newest first; the views left out per day.

        The page days (a call per MB of them, and the live ones) and the site's days: the
        site's views, the total each day's rows add up to.
        """
        site_days, days = self._days.range(*_bounds(query), most=MAX_PAGE_DAYS)
        if len(days) > MAX_PAGE_DAYS:
            # The oldest day read may be cut short: it goes to "other" whole, as older ones do.
            cut = days[-1].day
            days = [day for day in days if day.day != cut]
        shown: Counter[str] = Counter()
        for day in days:
            shown[day.day] += day.views
        other = {
            site.day: site.views - shown[site.day]
            for site in site_days
            if site.views > shown[site.day]
        }
        return RangePages(days, other)


def _row_rank(page: str) -> int:
    """A day's rows in order: its pages, then "other", then its events."""
    if page.startswith(EVENT_ROW_PREFIX):
        return 2
    return int(page == OTHER_PAGES)


def _bounds(query: StatsQuery) -> tuple[str, str]:
    return query.first.isoformat(), query.last.isoformat()


def _date(params: dict[str, str], name: str, default: date) -> date:
    if name not in params:
        return default
    value = params[name]
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        raise BadRequest(400, f"{name} must be a date as YYYY-MM-DD, got {value!r}.") from None
    if parsed.year < FIRST_YEAR:
        raise BadRequest(400, f"{name} must be {FIRST_YEAR}-01-01 or later, got {value!r}.")
    return parsed


def _page(params: dict[str, str]) -> str | None:
    if "page" not in params:
        return None
    try:
        return normalize_page(params["page"])
    except InvalidPage as exc:
        raise BadRequest(400, f"page: {exc}") from None


def _limit(params: dict[str, str]) -> int:
    if "limit" not in params:
        return DEFAULT_PAGES
    return whole_number("limit", params["limit"], 1, MAX_PAGES)
