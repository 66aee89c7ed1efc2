"""A page's live day: one write per counted view, and the move of a past day to the history.

A page's item in the counter table holds its all-time counts and its live day: the UTC day
of its latest views, with that day's views, visitors, entries (new visitors of the site who
came in by the page) and referrers. A counted view is one UpdateItem of that item: one
write unit while the item is under 1 KB, where each view used to write the page, its day and
the site's day (three units, and an index's). The site's day is the sum of its pages' days.

The first view of a later day finds the item on its past day (the update's condition says
so and hands the item back): one transaction then moves the past day into the history and
starts the new one, so no view is ever in both or in neither. A view whose day the page has
already left (a request started before midnight, written after another's first view of
the new day) counts in the page's current day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, Final

from visitor_counter import schema
from visitor_counter.errors import ConditionFailed, CountUnavailable, StoreUnavailable
from visitor_counter.history_store import DayCounts, DayView, HistoryStore, RangeDays, day_end
from visitor_counter.page_store import PageCounts, page_counts
from visitor_counter.referrers import is_named
from visitor_counter.store import (
    RETRY_AFTER_THROTTLED_S,
    batch_get,
    call_dynamodb,
    items_by_shard,
    newest_days,
    number_or_zero,
    read_agents,
    read_referrers,
    read_text,
)

# Tries of a view whose page's day another view keeps moving (a day's first views racing).
DAY_ATTEMPTS: Final = 4
# The most pages a container keeps its other write shards' counts for (store's
# schema.OTHER_SHARDS_FOR_S): a flood of made-up pages empties the list.
MAX_PAGES_KEPT: Final = 1_000
# How long a view waits after its move met another transaction on one of its items (the
# site's day, when many pages' days move at midnight): transactions take milliseconds.
CONFLICT_BACKOFF_S: Final = 0.02


@dataclass(frozen=True)
class LiveView:
    """What counting a view did: the page's new all-time counts, the day it counted in.

    `overflow`: the page's day is past the day's cap of unlisted pages, so no page day
    lists it and the site's day counts its views (HistoryStore.add_overflow_view).
    """

    counts: PageCounts
    day: str
    overflow: bool


class LivePages:
    """Counts views into one site's pages' live days; reads the live days."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        history: HistoryStore,
        site_id: str,
        *,
        retention_days: int,
        shards: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._table = table_name
        self._history = history
        self._site = site_id
        self._retention_s = retention_days * 86_400
        self._shards = shards
        self._clock = clock
        # The other write shards' counts of a page as last read: when, and by shard.
        self._others: dict[str, tuple[float, dict[int, tuple[int, int]]]] = {}

    def add_view(self, view: DayView) -> LiveView:
        """Count `view` in its page's live day: one round trip, three on a day's first view.

        A source the day lacks counts as "other" when the day has MAX_REFERRER_HOSTS
        already, or when the view may not bring one (not its client's own source): the
        update's condition refuses it and a second adds the view so.
        """
        for _ in range(DAY_ATTEMPTS):
            try:
                return self._add(view)
            except ConditionFailed as failed:
                found = failed.item or {}
            live_day = (
                read_text(found, schema.DAY_ATTRIBUTE) if schema.DAY_ATTRIBUTE in found else ""
            )
            if live_day == view.day:
                # The day refused the source.
                view = replace(view, source=schema.OTHER_SOURCE, new_host_allowed=False)
            elif live_day > view.day:
                view = replace(view, day=live_day)
            else:
                try:
                    return self._start_day(view, found)
                except ConditionFailed as refused:
                    # Another view moved the day first (add to the day it made), or another
                    # transaction held an item (give it a moment to finish).
                    if "TransactionConflict" in refused.reasons:
                        time.sleep(CONFLICT_BACKOFF_S)
        raise StoreUnavailable("the page's live day kept moving", RETRY_AFTER_THROTTLED_S)

    def _add(self, view: DayView) -> LiveView:
        names = _view_names(view)
        values: dict[str, Any] = {":day": {"S": view.day}, **_view_values(view)}
        adds = [
            "#views :one",
            "#visitors :new",
            "#day_views :one",
            "#day_visitors :new",
            "#entries :entry",
            "#source :one",
            *(f"#agent{n} :one" for n in range(len(view.agents))),
        ]
        condition = "#day = :day"
        if is_named(view.source):
            names["#hosts"] = schema.REFERRER_HOSTS_ATTRIBUTE
            values |= {":hosts": {"SS": [view.source]}, ":host": {"S": view.source}}
            adds.append("#hosts :hosts")
            hosts = "contains(#hosts, :host)"
            if view.new_host_allowed:
                values[":max_hosts"] = {"N": str(schema.MAX_REFERRER_HOSTS)}
                hosts = f"attribute_not_exists(#hosts) OR {hosts} OR size(#hosts) < :max_hosts"
            condition = f"{condition} AND ({hosts})"
        response = call_dynamodb(
            self._client.update_item,
            TableName=self._table,
            Key=self._key(view.page, view.shard),
            UpdateExpression=f"ADD {', '.join(adds)}",
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
            # When the day is not the view's, the item as it is: which day it is on.
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        item = response.get("Attributes") or {}
        counts = self._with_other_shards(page_counts(item, view.page), view.shard)
        return LiveView(counts, view.day, self._is_overflow(item))

    def _start_day(self, view: DayView, found: dict[str, Any]) -> LiveView:
        """Start the page's day with `view`; the past live day in `found` moves to the history.

        ConditionFailed when another view changed the item since it was `found`.
        """
        midnight = day_end(view.day)
        overflow = not view.listed and not self._history.list_unlisted_page(
            view.day, view.page, expires_at=midnight + self._retention_s
        )
        # A fresh day has no source yet: a host may join only as the client's own.
        if is_named(view.source) and not view.new_host_allowed:
            view = replace(view, source=schema.OTHER_SOURCE)
        names = {
            **_view_names(view),
            "#site": schema.SITE_ATTRIBUTE,
            "#overflow": schema.OVERFLOW_ATTRIBUTE,
            "#page": schema.PAGE_ATTRIBUTE,
        }
        values: dict[str, Any] = {
            ":day": {"S": view.day},
            ":page": {"S": view.page},
            **_view_values(view),
        }
        sets = [
            "#day = :day",
            "#day_views = :one",
            "#day_visitors = :new",
            "#entries = :entry",
            "#source = :one",
            "#page = :page",
            *(f"#agent{n} = :one" for n in range(len(view.agents))),
        ]
        # A listed day is in the live-days index's partition of its shard; a day past the
        # cap in no partition (made-up pages would all write one), marked instead.
        if overflow:
            values[":overflow"] = {"BOOL": True}
            sets.append("#overflow = :overflow")
            cleared = ["#site"]
        else:
            values[":site"] = {"S": schema.shard_key(self._site, view.shard)}
            sets.append("#site = :site")
            cleared = ["#overflow"]
        if is_named(view.source):
            names["#hosts"] = schema.REFERRER_HOSTS_ATTRIBUTE
            values[":hosts"] = {"SS": [view.source]}
            sets.append("#hosts = :hosts")
        # The past day's referrers go with it (the new day's own source is SET above).
        gone = [
            name
            for name in found
            if (name.startswith(schema.REFERRER_PREFIX) and name != names["#source"])
            or (name == schema.REFERRER_HOSTS_ATTRIBUTE and "#hosts" not in names)
            or (name.startswith(schema.AGENT_PREFIX) and name not in view.agents)
        ]
        names |= {f"#gone{n}": name for n, name in enumerate(gone)}
        removes = f" REMOVE {', '.join([*cleared, *(f'#gone{n}' for n in range(len(gone)))])}"
        update = {
            "TableName": self._table,
            "Key": self._key(view.page, view.shard),
            "UpdateExpression": (f"SET {', '.join(sets)} ADD #views :one, #visitors :new{removes}"),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        if schema.DAY_ATTRIBUTE not in found:
            # A page's first view, or its first since the live days (no past day to move).
            response = call_dynamodb(
                self._client.update_item,
                **update,
                ConditionExpression="attribute_not_exists(#day)",
                ReturnValues="ALL_NEW",
            )
            item = response.get("Attributes") or {}
            counts = self._with_other_shards(page_counts(item, view.page), view.shard)
            return LiveView(counts, view.day, self._is_overflow(item))
        past = _live_day(found, view.page)
        # Unchanged since it was found: same day, same views (every write adds one).
        values |= {":past_day": {"S": past.day}, ":past_views": {"N": str(past.views)}}
        update["ConditionExpression"] = "#day = :past_day AND #day_views = :past_views"
        self._move(update, past, found, view.shard)
        before = page_counts(found, view.page)
        counts = PageCounts(
            view.page, before.views + 1, before.visitors + int(view.new_page_visitor)
        )
        return LiveView(self._with_other_shards(counts, view.shard), view.day, overflow)

    def _with_other_shards(self, counts: PageCounts, shard: int) -> PageCounts:
        """A page's counts in `shard` plus its other write shards', as last read.

        The others are read (eventually consistent, half a unit each) at most once every
        schema.OTHER_SHARDS_FOR_S per page and container: the answer is exact for the view's own
        shard and at most that far behind on the others; what is stored is exact.
        """
        if self._shards == 1:
            return counts
        now = self._clock()
        read_at, by_shard = self._others.get(counts.page, (-schema.OTHER_SHARDS_FOR_S, {}))
        if now - read_at >= schema.OTHER_SHARDS_FOR_S:
            # The view is counted already: a failed read must not answer it 503. The
            # answer then has the others as last read (none, at first).
            with suppress(StoreUnavailable, CountUnavailable):
                by_shard = self._read_shards(counts.page)
                if len(self._others) >= MAX_PAGES_KEPT:
                    self._others.clear()
                self._others[counts.page] = (now, by_shard)
        others = [counted for other, counted in by_shard.items() if other != shard]
        return PageCounts(
            counts.page,
            counts.views + sum(views for views, _ in others),
            counts.visitors + sum(visitors for _, visitors in others),
        )

    def _read_shards(self, page: str) -> dict[int, tuple[int, int]]:
        """Each write shard's all-time views and visitors of a page."""
        items = items_by_shard(
            self._client,
            self._table,
            schema.page_key(self._site, page),
            self._shards,
            schema.VIEWS_ATTRIBUTE,
            schema.PAGE_VISITORS_ATTRIBUTE,
        )
        return {
            n: (
                number_or_zero(item, schema.VIEWS_ATTRIBUTE),
                number_or_zero(item, schema.PAGE_VISITORS_ATTRIBUTE),
            )
            for n, item in items.items()
        }

    def _move(
        self, update: dict[str, Any], past: DayCounts, found: dict[str, Any], shard: int
    ) -> None:
        """Start the page's new day (`update`) and move its past day, in one transaction.

        The past day is added to its page's day in the history and, unless the page was
        past the cap, to the site's day.

        ConditionFailed when the page's item changed since it was `found`. When only the
        site's day refused the page's hosts (it has SITE_DAY_HOSTS), again with them as
        "other" there.
        """
        expires_at = day_end(past.day) + self._retention_s
        where = {"expires_at": expires_at, "shard": shard}
        overflow = self._is_overflow(found)
        listed = read_text(found, schema.SITE_ATTRIBUTE) if schema.SITE_ATTRIBUTE in found else ""
        index = None if overflow else listed or schema.shard_key(self._site, shard)
        archive = self._history.archive(past, site=index, **where)
        items = [{"Update": update}, {"Update": archive}]
        if not overflow:  # an overflow day is in the site's day already, view by view
            to_site = self._history.add_to_site(past, hosts=True, **where)
            items.append({"Update": to_site})
        try:
            call_dynamodb(self._client.transact_write_items, TransactItems=items)
        except ConditionFailed as refused:
            if refused.reasons[:3] != ["None", "None", "ConditionalCheckFailed"]:
                raise
            to_site = self._history.add_to_site(past, hosts=False, **where)
            items[2] = {"Update": to_site}
            call_dynamodb(self._client.transact_write_items, TransactItems=items)

    def _is_overflow(self, item: dict[str, Any]) -> bool:
        """Whether a page item's live day is past the day's cap (or was, in the old way)."""
        return bool(item.get(schema.OVERFLOW_ATTRIBUTE, {}).get("BOOL")) or (
            item.get(schema.SITE_ATTRIBUTE, {}).get("S") == schema.overflow_site(self._site)
        )

    def days_of(self, page: str) -> list[DayCounts]:
        """The page's live days, one a write shard that has one (eventually consistent)."""
        if self._shards == 1:
            response = call_dynamodb(
                self._client.get_item, TableName=self._table, Key=self._key(page, 0)
            )
            items = [response["Item"]] if response.get("Item") else []
        else:
            keys = [self._key(page, shard) for shard in range(self._shards)]
            items = batch_get(self._client, self._table, keys)
        return [_live_day(item, page) for item in items if schema.DAY_ATTRIBUTE in item]

    def days(self, first: str, last: str, most: int) -> RangeDays:
        """The live days from `first` to `last` of the pages the range-wide lists show.

        The newest `most` + 1 of each write shard's partition at most: a Query of the
        live-days index (keys only: a view writes no index entry), newest first, then a
        BatchGetItem per 100 pages.
        """
        keys: list[dict[str, Any]] = []
        complete_after = ""
        for shard in range(self._shards):
            # Newest first, one more than it keeps: it says whether there were more.
            entries = newest_days(
                self._client,
                self._table,
                schema.LIVE_DAYS_INDEX,
                schema.shard_key(self._site, shard),
                first,
                last,
            )
            found = list(islice(entries, most + 2))
            if len(found) > most + 1:  # more than it keeps: the last day kept may be partial
                found = found[: most + 1]
                complete_after = max(complete_after, found[-1][schema.DAY_ATTRIBUTE]["S"])
            keys += [{schema.PARTITION_KEY: key[schema.PARTITION_KEY]} for key in found]
        days = [
            _live_day(item, read_text(item, schema.PAGE_ATTRIBUTE))
            for item in batch_get(self._client, self._table, keys)
        ]
        # The index is eventually consistent: a page may have moved on since.
        return RangeDays([day for day in days if first <= day.day <= last], complete_after)

    def _key(self, page: str, shard: int) -> dict[str, Any]:
        return {
            schema.PARTITION_KEY: {"S": schema.shard_key(schema.page_key(self._site, page), shard)}
        }


def _view_names(view: DayView) -> dict[str, str]:
    """The attributes a view adds to: the page's all-time counts, its live day's."""
    return {
        "#day": schema.DAY_ATTRIBUTE,
        "#views": schema.VIEWS_ATTRIBUTE,
        "#visitors": schema.PAGE_VISITORS_ATTRIBUTE,
        "#day_views": schema.DAY_VIEWS_ATTRIBUTE,
        "#day_visitors": schema.DAY_VISITORS_ATTRIBUTE,
        "#entries": schema.DAY_ENTRIES_ATTRIBUTE,
        "#source": schema.referrer_attribute(view.source),
        **{f"#agent{n}": attribute for n, attribute in enumerate(view.agents)},
    }


def _view_values(view: DayView) -> dict[str, Any]:
    return {
        ":one": {"N": "1"},
        ":new": {"N": "1" if view.new_page_visitor else "0"},
        ":entry": {"N": "1" if view.new_site_visitor else "0"},
    }


def _live_day(item: Any, page: str) -> DayCounts:
    """A page item's live day as a day of the history."""
    return DayCounts(
        day=read_text(item, schema.DAY_ATTRIBUTE),
        page=page,
        views=number_or_zero(item, schema.DAY_VIEWS_ATTRIBUTE),
        visitors=number_or_zero(item, schema.DAY_VISITORS_ATTRIBUTE),
        referrers=read_referrers(item),
        entries=number_or_zero(item, schema.DAY_ENTRIES_ATTRIBUTE),
        agents=read_agents(item),
    )
