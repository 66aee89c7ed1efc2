"""DynamoDB access for the history table: views, visitors and referrers per past UTC day.

A page's day comes here once, whole, when the page's live day moves on (live_pages): two
Updates in that move's transaction, one adding it to its page's day, one to the site's day
(its views, entries as visitors, referrers), so the site's day is the sum of its pages'
past days. Else the site's day is written only for what no page's day can say: how many
unlisted pages' days it has (once per such day), the views of those past the cap (one a
view), and the daily ceiling's estimate (a fraction of views). Reads query one partition
(a page's or the site's days) or the pages-by-day index (every page's days of a range), a
call per MB of items.

A page the site lists is always in the range-wide lists (the index). A page only a glob
admits may be an id a visitor made up, any number of them: a day lists at most
MAX_UNLISTED_PAGES_PER_DAY of them, so made-up pages cannot bury the site's own in the
owner's stats or make them too many to read; the site's day counts the views of the rest.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import islice
from typing import Any

from visitor_counter import schema
from visitor_counter.errors import ConditionFailed
from visitor_counter.referrers import is_named
from visitor_counter.store import (
    call_dynamodb,
    days_of,
    newest_days,
    number_or_zero,
    read_agents,
    read_number,
    read_referrers,
    read_strings,
    read_text,
)


@dataclass(frozen=True)
class DayView:
    """A counted view, as its page's live day adds it."""

    day: str
    page: str
    # The site names the page (else only a glob admits it: its id may be made up).
    listed: bool
    source: str
    new_page_visitor: bool
    new_site_visitor: bool
    # It may bring a day a source the day does not have yet.
    new_host_allowed: bool
    # The write shard it goes to (schema.shard_key): its page's item, days and the site's.
    shard: int = 0
    # The attributes of its browser, system and device class (agents.agent_names).
    agents: tuple[str, ...] = ()


@dataclass(frozen=True)
class DayCounts:
    """A day of a page (or of the site, page None): views, visitors, entries, referrers.

    `entries`: the day's new visitors of the site who came in by the page; a site's day
    has as many visitors as its pages' days have entries.
    """

    day: str
    page: str | None
    views: int
    visitors: int
    referrers: dict[str, int]
    entries: int = 0
    # Views by browser, system and device class (agents.py), by attribute.
    agents: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RangeDays:
    """Page days of a range as far as a bounded read went, a write shard's part each.

    `complete_after`: "" when every partition was read whole; else the days up to it may
    lack a part (a partition's read stopped there), and only the days after it are whole.
    """

    days: list[DayCounts]
    complete_after: str = ""


def page_hash(page: str) -> str:
    """A short name for a page in the day's set of unlisted pages (64 bits: none collide)."""
    return hashlib.sha256(page.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def site_day_part(page: str, shard: int, shards: int) -> int:
    """The part of the site's day a page's write shard adds to (schema.SITE_DAY_SPLIT).

    By a hash of the page id: its shard's own part (0 to `shards` - 1, as before the split)
    for a third of the pages, `shards` or twice `shards` past it for the others. A split
    that grows (it was 2) keeps the parts it had: reads query every part, so a day with
    items in both layouts still sums right.
    """
    if shards == 1:
        return 0
    return shard + shards * (int(page_hash(page), 16) % schema.SITE_DAY_SPLIT)


def day_end(day: str) -> int:
    """The epoch second a UTC day (YYYY-MM-DD) ends: its next midnight."""
    return (date.fromisoformat(day) + timedelta(days=1) - date(1970, 1, 1)).days * 86_400


class HistoryStore:
    """Reads and writes one site's items in the history table."""

    def __init__(self, client: Any, table_name: str, site_id: str, shards: int = 1) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id
        self._shards = shards
        # The day's unlisted pages once this container found the list full: it no longer
        # changes that day, so a flood of made-up pages asks it once a container, not a view.
        self._full_lists: dict[str, tuple[str, frozenset[str]]] = {}  # by list, with its day

    def archive(
        self, past: DayCounts, *, site: str | None, expires_at: int, shard: int
    ) -> dict[str, Any]:
        """The Update (of a TransactWriteItems) that adds a page's past live day to its day.

        ADD, not a put: a day written before the live days (the day they were deployed)
        keeps what it had. `site` is the index partition the day goes to; None for an
        unlisted page past the day's cap, which no range-wide list shows (no index entry).
        """
        if past.page is None:
            raise ValueError("only a page's day is archived")
        update = self._add_day(past, past.page, expires_at, shard)
        update["ExpressionAttributeNames"]["#page"] = schema.PAGE_ATTRIBUTE
        update["ExpressionAttributeValues"][":page"] = {"S": past.page}
        update["UpdateExpression"] += ", #page = :page"
        if site is not None:
            update["ExpressionAttributeNames"]["#site"] = schema.SITE_ATTRIBUTE
            update["ExpressionAttributeValues"][":site"] = {"S": site}
            update["UpdateExpression"] += ", #site = :site"
        return update

    def _add_day(
        self, past: DayCounts, page: str | None, expires_at: int, shard: int
    ) -> dict[str, Any]:
        """An Update adding a day's counts to a day item (ADD), its expiry SET last."""
        names = {
            "#views": schema.VIEWS_ATTRIBUTE,
            "#visitors": schema.PAGE_VISITORS_ATTRIBUTE,
            "#expires": schema.TTL_ATTRIBUTE,
        }
        values: dict[str, Any] = {
            ":views": {"N": str(past.views)},
            ":visitors": {"N": str(past.visitors)},
            ":expires": {"N": str(expires_at)},
        }
        adds = ["#views :views", "#visitors :visitors"]
        if page is not None:
            names["#entries"] = schema.ENTRIES_ATTRIBUTE
            values[":entries"] = {"N": str(past.entries)}
            adds.append("#entries :entries")
        for n, (source, views) in enumerate(sorted(past.referrers.items())):
            names[f"#r{n}"] = schema.referrer_attribute(source)
            values[f":r{n}"] = {"N": str(views)}
            adds.append(f"#r{n} :r{n}")
        for n, (attribute, views) in enumerate(sorted(past.agents.items())):
            names[f"#a{n}"] = attribute
            values[f":a{n}"] = {"N": str(views)}
            adds.append(f"#a{n} :a{n}")
        hosts = sorted(source for source in past.referrers if is_named(source))
        if hosts:
            names["#hosts"] = schema.REFERRER_HOSTS_ATTRIBUTE
            values[":hosts"] = {"SS": hosts}
            adds.append("#hosts :hosts")
        return {
            "TableName": self._table,
            "Key": self._key(page, past.day, shard),
            "UpdateExpression": f"ADD {', '.join(adds)} SET #expires = :expires",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    def add_to_site(
        self, past: DayCounts, *, hosts: bool, expires_at: int, shard: int
    ) -> dict[str, Any]:
        """The Update (of the same transaction) that adds a page's past day to the site's day.

        The site's day is written by every page day's move after midnight, so it is kept
        small (a few write units a move, resume.capacity): with `hosts`, the update adds the
        page day's SITE_HOSTS_PER_MOVE most viewed hosts, its condition letting them in only
        while the site's day has fewer than SITE_DAY_HOSTS (at most the sum of both, ~2 KB);
        the page day's other hosts, and all of them without `hosts`, count as "other".
        """
        referrers = Counter(past.referrers)
        named = sorted(
            (source for source in referrers if is_named(source)),
            key=lambda source: (-referrers[source], source),
        )
        kept = named[: schema.SITE_HOSTS_PER_MOVE] if hosts else []
        for source in named[len(kept) :]:
            referrers[schema.OTHER_SOURCE] += referrers.pop(source)
        site_day = replace(past, page=None, visitors=past.entries, referrers=dict(referrers))
        part = site_day_part(past.page or "", shard, self._shards)
        update = self._add_day(site_day, None, expires_at, part)
        if kept:
            update["ExpressionAttributeValues"][":max_hosts"] = {"N": str(schema.SITE_DAY_HOSTS)}
            update["ConditionExpression"] = (
                "attribute_not_exists(#hosts) OR size(#hosts) < :max_hosts"
            )
        return update

    def list_unlisted_page(self, day: str, page: str, *, expires_at: int) -> bool:
        """Whether an unlisted page's day is in the range-wide lists: among the day's first.

        One UpdateItem of the day's set of such pages (a short hash of each, so it stays
        under 2 KB): a page in it, or joining while it has room, is listed; else not. Each
        write shard's first view of the page's day asks, and gets the same answer: once a
        container finds the list full, from the list as the refusal returned it (no call).

        Split (write shards), after midnight every shard of every such page asks within a
        second or so: a strongly consistent read of the list comes first (reads have three
        times the room of writes), only a page not in it writes, and the day's pages are in
        schema.unlisted_lists lists by a hash of the page id, each taking its share of
        MAX_UNLISTED_PAGES_PER_DAY, so that no list is asked more than one key takes
        (resume.capacity).
        """
        most = schema.unlisted_per_list(self._shards)
        if schema.MAX_UNLISTED_PAGES_PER_DAY <= 0:
            return False  # a site that lists none: nothing to ask
        hashed = page_hash(page)
        list_id = schema.unlisted_list_key(self._site, int(hashed, 16), self._shards)
        full_day, full = self._full_lists.get(list_id, ("", frozenset()))
        if full_day == day:
            return hashed in full
        key = {schema.PARTITION_KEY: {"S": list_id}, schema.HISTORY_SORT_KEY: {"S": day}}
        if self._shards > 1:
            found = (
                call_dynamodb(
                    self._client.get_item, TableName=self._table, Key=key, ConsistentRead=True
                ).get("Item")
                or {}
            )
            listed = read_strings(found, schema.UNLISTED_PAGES_ATTRIBUTE)
            if hashed in listed:
                return True
            if len(listed) >= most:
                self._keep_full(list_id, day, listed)
                return False
        try:
            call_dynamodb(
                self._client.update_item,
                TableName=self._table,
                Key=key,
                UpdateExpression="ADD #pages :page SET #expires = :expires",
                ConditionExpression=(
                    "attribute_not_exists(#pages) OR contains(#pages, :hash) OR size(#pages) < :max"
                ),
                ExpressionAttributeNames={
                    "#pages": schema.UNLISTED_PAGES_ATTRIBUTE,
                    "#expires": schema.TTL_ATTRIBUTE,
                },
                ExpressionAttributeValues={
                    ":page": {"SS": [hashed]},
                    ":hash": {"S": hashed},
                    ":max": {"N": str(most)},
                    ":expires": {"N": str(expires_at)},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ConditionFailed as refused:
            found = refused.item or {}
            self._keep_full(list_id, day, read_strings(found, schema.UNLISTED_PAGES_ATTRIBUTE))
            return False
        return True

    def _keep_full(self, list_id: str, day: str, listed: frozenset[str]) -> None:
        """Keep a day's list that was found full: it no longer changes that day.

        Only a whole one (a refusal that did not return the list says nothing of it).
        """
        if len(listed) >= schema.unlisted_per_list(self._shards):
            self._full_lists[list_id] = (day, listed)

    def add_overflow_view(self, view: DayView, *, expires_at: int) -> None:
        """Count a view of an unlisted page past the day's cap in the site's day at once.

        No page day of the range-wide lists holds it, nor ever moves it here. Its source
        counts as "direct" or "other" (a made-up page's day may not bring the site hosts).
        """
        source = view.source if view.source == schema.DIRECT_SOURCE else schema.OTHER_SOURCE
        day = DayCounts(
            view.day,
            None,
            1,
            int(view.new_site_visitor),
            {source: 1},
            0,
            dict.fromkeys(view.agents, 1),
        )
        part = site_day_part(view.page, view.shard, self._shards)
        update = self._add_day(day, None, expires_at, part)
        call_dynamodb(self._client.update_item, **update)

    def add_estimate(self, day: str, weight: int, *, expires_at: int) -> int:
        """Add a sampled view, `weight` views' worth, to the day's estimate; the estimate."""
        return self._add_to_site_day(schema.ESTIMATE_ATTRIBUTE, day, weight, expires_at)

    def site_views(self, day: str) -> int:
        """The site's views that day as the ceiling knows them (eventually consistent).

        The sampled estimate, or the views a day written before the live days counted.
        """
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table,
            Key=self._key(None, day, 0),
            ProjectionExpression="#estimate, #views",
            ExpressionAttributeNames={
                "#estimate": schema.ESTIMATE_ATTRIBUTE,
                "#views": schema.VIEWS_ATTRIBUTE,
            },
        )
        item = response.get("Item") or {}
        return max(
            number_or_zero(item, schema.ESTIMATE_ATTRIBUTE),
            number_or_zero(item, schema.VIEWS_ATTRIBUTE),
        )

    def _add_to_site_day(self, attribute: str, day: str, amount: int, expires_at: int) -> int:
        response = call_dynamodb(
            self._client.update_item,
            TableName=self._table,
            Key=self._key(None, day, 0),
            UpdateExpression="ADD #count :amount SET #expires = :expires",
            ExpressionAttributeNames={"#count": attribute, "#expires": schema.TTL_ATTRIBUTE},
            ExpressionAttributeValues={
                ":amount": {"N": str(amount)},
                ":expires": {"N": str(expires_at)},
            },
            ReturnValues="UPDATED_NEW",
        )
        return read_number(response.get("Attributes"), attribute)

    def days(self, first: str, last: str, page: str) -> list[DayCounts]:
        """A page's past days from `first` to `last`, a day per write shard that has it."""
        return [_day_counts(item, page) for item in self._partition_days(first, last, page)]

    def site_days(self, first: str, last: str) -> list[DayCounts]:
        """The site's days from `first` to `last` as its own items hold them.

        Its pages' past days, and the views of unlisted pages past the cap; not its pages'
        live days.
        """
        return [
            DayCounts(
                day=read_text(item, schema.HISTORY_SORT_KEY),
                page=None,
                views=number_or_zero(item, schema.VIEWS_ATTRIBUTE),
                visitors=number_or_zero(item, schema.PAGE_VISITORS_ATTRIBUTE),
                referrers=read_referrers(item),
                agents=read_agents(item),
            )
            for item in self._partition_days(first, last, None)
        ]

    def _partition_days(self, first: str, last: str, page: str | None) -> Iterator[Any]:
        """Every write shard's items of a page's days (every part's of the site's): a Query each."""
        parts = self._shards if page is not None else schema.site_day_parts(self._shards)
        for shard in range(parts):
            key = schema.shard_key(self._partition(page), shard)
            yield from days_of(self._client, self._table, key, first, last)

    def page_days(self, first: str, last: str, most: int) -> RangeDays:
        """The range-wide lists' past page days from `first` to `last`, newest first.

        The newest `most` + 1 of each write shard's partition of the index at most.
        """
        found: list[DayCounts] = []
        complete_after = ""
        for shard in range(self._shards):
            items = newest_days(
                self._client,
                self._table,
                schema.PAGES_BY_DAY_INDEX,
                schema.shard_key(self._site, shard),
                first,
                last,
            )
            read = [
                _day_counts(item, read_text(item, schema.PAGE_ATTRIBUTE))
                for item in islice(items, most + 2)
            ]
            if len(read) > most + 1:  # more than it keeps: the last day kept may be partial
                read = read[: most + 1]
                complete_after = max(complete_after, read[-1].day)
            found += read
        return RangeDays(found, complete_after)

    def _partition(self, page: str | None) -> str:
        if page is None:
            return schema.site_history_key(self._site)
        return schema.page_history_key(self._site, page)

    def _key(self, page: str | None, day: str, shard: int) -> dict[str, Any]:
        return {
            schema.PARTITION_KEY: {"S": schema.shard_key(self._partition(page), shard)},
            schema.HISTORY_SORT_KEY: {"S": day},
        }


def _day_counts(item: Any, page: str | None) -> DayCounts:
    return DayCounts(
        day=read_text(item, schema.HISTORY_SORT_KEY),
        page=page,
        views=read_number(item, schema.VIEWS_ATTRIBUTE),
        visitors=read_number(item, schema.PAGE_VISITORS_ATTRIBUTE),
        referrers=read_referrers(item),
        # Days written before the live days have no entries: their site's day counted them.
        entries=number_or_zero(item, schema.ENTRIES_ATTRIBUTE),
        agents=read_agents(item),
    )
