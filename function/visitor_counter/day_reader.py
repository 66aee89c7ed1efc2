"""The days the stats read: the history's past days joined with the pages' live days.

A page's day is in the history once it is past (live_pages moved it), or still on its page's
item while the page has had no view of a later day: a read of a range adds the two. A day
written before the live days may also be in both (its first views in the history, its later
ones live): they add up too, since no view is in both. The site's day is its own item (its
pages' past days, moved there with them, and the views of unlisted pages past the cap) plus
its pages' live days, whose entries are its new visitors.

Every read is bounded: the range-wide ones take the newest `most` + 1 page days of the
history and as many live days (a flood of made-up pages cannot make them endless); past
that, the oldest live days of a range are left out of its site days too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from visitor_counter.history_store import DayCounts, HistoryStore
from visitor_counter.live_pages import LivePages


class DayReader:
    """Reads one site's days, past and live."""

    def __init__(self, history: HistoryStore, live: LivePages) -> None:
        self._history = history
        self._live = live

    def page(self, first: str, last: str, page: str) -> list[DayCounts]:
        """A page's days from `first` to `last`, those with views only, oldest first."""
        days = self._history.days(first, last, page)
        days += [day for day in self._live.days_of(page) if first <= day.day <= last]
        return sorted(_joined(days), key=lambda day: day.day)

    def site(self, first: str, last: str, most: int) -> list[DayCounts]:
        """The site's days from `first` to `last`, those with views only, oldest first.

        With each write shard's newest `most` + 1 live days at most (past them, under a
        flood of made-up pages, the oldest days lack their pages' live parts).
        """
        live = self._live.days(first, last, most)
        return _site_days(self._history.site_days(first, last), live.days)

    def range(self, first: str, last: str, most: int) -> tuple[list[DayCounts], list[DayCounts]]:
        """The site's days and the range-wide lists' page days from `first` to `last`.

        The site's days oldest first; the newest `most` + 1 page days at most, newest first,
        whole days only: a day a bounded read may have cut short is left out (the site's
        day still counts it, as "other").
        """
        live = self._live.days(first, last, most)
        past = self._history.page_days(first, last, most)
        cut = max(live.complete_after, past.complete_after)
        pages = [day for day in _joined([*past.days, *live.days]) if day.day > cut]
        pages.sort(key=lambda day: (day.day, str(day.page)), reverse=True)
        return _site_days(self._history.site_days(first, last), live.days), pages[: most + 1]


def _site_days(own: list[DayCounts], live: list[DayCounts]) -> list[DayCounts]:
    """The site's own days plus its pages' live days (their entries its visitors)."""
    as_site = [
        DayCounts(day.day, None, day.views, day.entries, day.referrers, agents=day.agents)
        for day in live
    ]
    days = _joined([*own, *as_site])
    return sorted((day for day in days if day.views), key=lambda day: day.day)


def _joined(days: Iterable[DayCounts]) -> list[DayCounts]:
    """The days with one (page, day) each: parts of one day (past and live) added up."""
    joined: dict[tuple[str | None, str], DayCounts] = {}
    for day in days:
        key = (day.page, day.day)
        if key in joined:
            before = joined[key]
            day = DayCounts(
                day=day.day,
                page=day.page,
                views=before.views + day.views,
                visitors=before.visitors + day.visitors,
                referrers=dict(Counter(before.referrers) + Counter(day.referrers)),
                entries=before.entries + day.entries,
                agents=dict(Counter(before.agents) + Counter(day.agents)),
            )
        joined[key] = day
    return list(joined.values())
