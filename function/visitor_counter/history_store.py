"""DynamoDB access for the history table: views, visitors and referrers per UTC day.

A view adds to two items, its page's day and the site's day: one UpdateItem each. Reads
query one partition (a page's or the site's days) or the pages-by-day index (every page's
days of a range), a call per MB of items.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from visitor_counter import schema
from visitor_counter.errors import ConditionFailed, CountUnavailable
from visitor_counter.store import call_dynamodb, read_number


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

    def add_view(
        self,
        day: str,
        page: str | None,
        *,
        source: str,
        new_visitor: bool,
        new_host_allowed: bool,
        expires_at: int,
    ) -> None:
        """Add a view (and a visitor when new) from `source` to a page's day, or the site's.

        A host the day does not have yet counts as "other" when the day has
        MAX_REFERRER_HOSTS hosts already, or when not `new_host_allowed` (a client's repeat
        view, which could otherwise name any number of made-up hosts): the first update's
        condition refuses it and a second adds the view that way (a round trip more, only
        for such views).
        """
        try:
            self._update(day, page, source, new_visitor, expires_at, new_host_allowed)
        except ConditionFailed:
            self._update(day, page, schema.OTHER_SOURCE, new_visitor, expires_at, False)

    def _update(
        self,
        day: str,
        page: str | None,
        source: str,
        new_visitor: bool,
        expires_at: int,
        new_host_allowed: bool,
    ) -> None:
        names = {
            "#views": schema.VIEWS_ATTRIBUTE,
            "#visitors": schema.PAGE_VISITORS_ATTRIBUTE,
            "#source": schema.referrer_attribute(source),
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
            # `site` and `page` put a page's days in the pages-by-day index.
            names |= {"#site": schema.SITE_ATTRIBUTE, "#page": schema.PAGE_ATTRIBUTE}
            values |= {":site": {"S": self._site}, ":page": {"S": page}}
            sets += ["#site = :site", "#page = :page"]
        request: dict[str, Any] = {}
        if source not in (schema.DIRECT_SOURCE, schema.OTHER_SOURCE):
            names["#hosts"] = schema.REFERRER_HOSTS_ATTRIBUTE
            values |= {":hosts": {"SS": [source]}, ":host": {"S": source}}
            adds.append("#hosts :hosts")
            condition = "contains(#hosts, :host)"
            if new_host_allowed:
                values[":max_hosts"] = {"N": str(schema.MAX_REFERRER_HOSTS)}
                condition = (
                    f"attribute_not_exists(#hosts) OR {condition} OR size(#hosts) < :max_hosts"
                )
            request["ConditionExpression"] = condition
        call_dynamodb(
            self._client.update_item,
            TableName=self._table,
            Key=self._key(page, day),
            UpdateExpression=f"ADD {', '.join(adds)} SET {', '.join(sets)}",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            **request,
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
        """Every page's days from `first` to `last`, without referrers (not in the index).

        At most `most` + 1 of them: one more than `most` tells the caller there are more.
        """
        items = self._query(
            IndexName=schema.PAGES_BY_DAY_INDEX,
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
