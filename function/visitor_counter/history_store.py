"""DynamoDB access for the history table: views, visitors and referrers per UTC day.

A view adds to two items, its page's day and the site's day: one UpdateItem each. Reads
query one partition (a page's or the site's days) or the pages-by-day index (every page's
days of a range), a call per MB of items.

A page the site lists is always in the range-wide lists (the index). A page only a glob
admits may be an id a visitor made up, any number of them: a day lists at most
MAX_UNLISTED_PAGES_PER_DAY of them, so made-up pages cannot bury the site's own in the
owner's stats or make them too many to read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from visitor_counter import schema
from visitor_counter.errors import ConditionFailed, CountUnavailable
from visitor_counter.referrers import is_named
from visitor_counter.store import call_dynamodb, read_number


@dataclass(frozen=True)
class DayView:
    """A counted view, as the history adds it to its page's day and to the site's day."""

    day: str
    page: str
    # The site names the page (else only a glob admits it: its id may be made up).
    listed: bool
    source: str
    new_page_visitor: bool
    new_site_visitor: bool
    # It may bring a day a source the day does not have yet.
    new_host_allowed: bool


@dataclass(frozen=True)
class DayCounts:
    """One item of the history: a day of a page (or of the site, page None)."""

    day: str
    page: str | None
    views: int
    visitors: int
    referrers: dict[str, int]


class HistoryStore:
    """Reads and writes one site's items in the history table."""

    def __init__(self, client: Any, table_name: str, site_id: str) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id

    def add_view(self, view: DayView, *, expires_at: int) -> int:
        """Add a view to its page's day and to the site's day: an UpdateItem each.

        Returns the site's views that day, this one included (the update's own answer).

        A source the day lacks counts as "other" when the day has MAX_REFERRER_HOSTS
        already, or when the view may not bring one (not its client's own source): the
        update's condition refuses it and a second adds the view so (a round trip more per
        day item, only for such views). An unlisted page's new day past the day's first
        MAX_UNLISTED_PAGES_PER_DAY is moved out of the range-wide lists (a round trip more,
        once a day per such page): the site's day still counts its views.
        """
        page_day = self._add(view, view.page, expires_at)
        # A day's views only ever grow by one: 1 is the view that made the page's day.
        new_unlisted = not view.listed and read_number(page_day, schema.VIEWS_ATTRIBUTE) == 1
        site_day = self._add(view, None, expires_at, new_unlisted_page=new_unlisted)
        if new_unlisted and (
            read_number(site_day, schema.UNLISTED_PAGES_ATTRIBUTE)
            > schema.MAX_UNLISTED_PAGES_PER_DAY
        ):
            self._move_to_overflow(view.day, view.page)
        return read_number(site_day, schema.VIEWS_ATTRIBUTE)

    def site_views(self, day: str) -> int:
        """The site's views that day so far (an eventually consistent GetItem: half a unit)."""
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table,
            Key=self._key(None, day),
            ProjectionExpression="#views",
            ExpressionAttributeNames={"#views": schema.VIEWS_ATTRIBUTE},
        )
        item = response.get("Item")
        return read_number(item, schema.VIEWS_ATTRIBUTE) if item else 0

    def _add(
        self, view: DayView, page: str | None, expires_at: int, *, new_unlisted_page: bool = False
    ) -> dict[str, Any]:
        """Add the view to a day item; its attributes as updated, when an unlisted page's.

        The page's day, or the site's when `page` is None. A source that may not join the
        day is refused by the update's condition, and the view added again as "other".
        """
        try:
            return self._update(view, page, expires_at, new_unlisted_page)
        except ConditionFailed:
            as_other = replace(view, source=schema.OTHER_SOURCE, new_host_allowed=False)
            return self._update(as_other, page, expires_at, new_unlisted_page)

    def _update(
        self, view: DayView, page: str | None, expires_at: int, new_unlisted_page: bool
    ) -> dict[str, Any]:
        new_visitor = view.new_site_visitor if page is None else view.new_page_visitor
        names = {
            "#views": schema.VIEWS_ATTRIBUTE,
            "#visitors": schema.PAGE_VISITORS_ATTRIBUTE,
            "#source": schema.referrer_attribute(view.source),
            "#expires": schema.TTL_ATTRIBUTE,
        }
        values: dict[str, Any] = {
            ":one": {"N": "1"},
            ":new": {"N": "1" if new_visitor else "0"},
            ":expires": {"N": str(expires_at)},
        }
        adds = ["#views :one", "#visitors :new", "#source :one"]
        sets = ["#expires = :expires"]
        if page is not None:
            # `site` and `page` put a page's days in the pages-by-day index. An unlisted
            # page's keeps the `site` it has: one moved to the overflow stays there.
            names |= {"#site": schema.SITE_ATTRIBUTE, "#page": schema.PAGE_ATTRIBUTE}
            values |= {":site": {"S": self._site}, ":page": {"S": page}}
            site = ":site" if view.listed else "if_not_exists(#site, :site)"
            sets += [f"#site = {site}", "#page = :page"]
        if new_unlisted_page:
            names["#unlisted"] = schema.UNLISTED_PAGES_ATTRIBUTE
            adds.append("#unlisted :one")
        request: dict[str, Any] = {}
        if is_named(view.source):
            names["#hosts"] = schema.REFERRER_HOSTS_ATTRIBUTE
            values |= {":hosts": {"SS": [view.source]}, ":host": {"S": view.source}}
            adds.append("#hosts :hosts")
            condition = "contains(#hosts, :host)"
            if view.new_host_allowed:
                values[":max_hosts"] = {"N": str(schema.MAX_REFERRER_HOSTS)}
                condition = (
                    f"attribute_not_exists(#hosts) OR {condition} OR size(#hosts) < :max_hosts"
                )
            request["ConditionExpression"] = condition
        # The site's day answers its views (the daily ceiling), and how many unlisted pages'
        # days it has; a page's day answers only for an unlisted page (did the view make the
        # day). The answer costs no write unit, only the bytes.
        answered = page is None or not view.listed
        response = call_dynamodb(
            self._client.update_item,
            TableName=self._table,
            Key=self._key(page, view.day),
            UpdateExpression=f"ADD {', '.join(adds)} SET {', '.join(sets)}",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="UPDATED_NEW" if answered else "NONE",
            **request,
        )
        return response.get("Attributes") or {}

    def _move_to_overflow(self, day: str, page: str) -> None:
        """Take an unlisted page's day out of the range-wide lists (the site's day keeps it)."""
        call_dynamodb(
            self._client.update_item,
            TableName=self._table,
            Key=self._key(page, day),
            UpdateExpression="SET #site = :overflow",
            ExpressionAttributeNames={"#site": schema.SITE_ATTRIBUTE},
            ExpressionAttributeValues={":overflow": {"S": schema.overflow_site(self._site)}},
        )

    def days(self, first: str, last: str, page: str | None) -> list[DayCounts]:
        """A page's (or the site's) days from `first` to `last`, those with views only."""
        items = self._query(
            KeyConditionExpression="#id = :id AND #day BETWEEN :first AND :last",
            ExpressionAttributeNames={
                "#id": schema.PARTITION_KEY,
                "#day": schema.HISTORY_SORT_KEY,
            },
            ExpressionAttributeValues={
                ":id": {"S": self._partition(page)},
                ":first": {"S": first},
                ":last": {"S": last},
            },
        )
        return [_day_counts(item, page) for item in items]

    def page_days(self, first: str, last: str, most: int) -> list[DayCounts]:
        """The range-wide lists' page days from `first` to `last`, newest day first.

        Without referrers (not in the index). At most `most` + 1 of them: one more than
        `most` tells the caller there are more.
        """
        items = self._query(
            IndexName=schema.PAGES_BY_DAY_INDEX,
            # Newest first: a range holding more than `most` loses detail on its oldest days.
            ScanIndexForward=False,
            KeyConditionExpression="#site = :site AND #day BETWEEN :first AND :last",
            ExpressionAttributeNames={
                "#site": schema.SITE_ATTRIBUTE,
                "#day": schema.HISTORY_SORT_KEY,
            },
            ExpressionAttributeValues={
                ":site": {"S": self._site},
                ":first": {"S": first},
                ":last": {"S": last},
            },
        )
        found = islice(items, most + 1)
        return [_day_counts(item, _text(item, schema.PAGE_ATTRIBUTE)) for item in found]

    def _query(self, **request: Any) -> Iterator[dict[str, Any]]:
        """Every item a query finds, a call per page of results (1 MB each)."""
        start: dict[str, Any] | None = None
        while True:
            response = call_dynamodb(
                self._client.query,
                TableName=self._table,
                **request,
                **({"ExclusiveStartKey": start} if start else {}),
            )
            yield from response.get("Items") or []
            start = response.get("LastEvaluatedKey")
            if not start:
                return

    def _partition(self, page: str | None) -> str:
        if page is None:
            return schema.site_history_key(self._site)
        return schema.page_history_key(self._site, page)

    def _key(self, page: str | None, day: str) -> dict[str, Any]:
        return {
            schema.PARTITION_KEY: {"S": self._partition(page)},
            schema.HISTORY_SORT_KEY: {"S": day},
        }


def _text(item: Any, attribute: str) -> str:
    try:
        return str(item[attribute]["S"])
    except (KeyError, TypeError) as exc:
        raise CountUnavailable(f"history item without {attribute!r}") from exc


def _day_counts(item: Any, page: str | None) -> DayCounts:
    referrers = {
        name[len(schema.REFERRER_PREFIX) :]: read_number(item, name)
        for name in item
        if name.startswith(schema.REFERRER_PREFIX)
    }
    return DayCounts(
        day=_text(item, schema.HISTORY_SORT_KEY),
        page=page,
        views=read_number(item, schema.VIEWS_ATTRIBUTE),
        visitors=read_number(item, schema.PAGE_VISITORS_ATTRIBUTE),
        referrers=referrers,
    )
