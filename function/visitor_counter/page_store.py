"""DynamoDB access for per-page counts, seen-markers and daily salts: one call per method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from visitor_counter import schema
from visitor_counter.store import ConditionFailed, CountUnavailable, call_dynamodb, read_number


@dataclass(frozen=True)
class PageCounts:
    """A page's views and unique visitors, as the API answers them."""

    page: str
    views: int
    visitors: int

    def as_json(self) -> dict[str, Any]:
        """The page's JSON object in API responses."""
        return {"page": self.page, "views": self.views, "visitors": self.visitors}


class PageStore:
    """Reads and writes one site's page items in the counter table."""

    def __init__(self, client: Any, table_name: str, site_id: str) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id

    def add_view(self, page: str, *, new_visitor: bool) -> PageCounts:
        """Add a view (and a visitor when new) and return the page's new counts."""
        response = call_dynamodb(
            self._client.update_item,
            TableName=self._table,
            Key=self._key(schema.page_key(self._site, page)),
            # `site` and `page` put the item in the top-pages index, sorted by views.
            UpdateExpression="ADD #views :one, #visitors :new SET #page = :page, #site = :site",
            ExpressionAttributeNames={
                "#views": schema.VIEWS_ATTRIBUTE,
                "#visitors": schema.PAGE_VISITORS_ATTRIBUTE,
                "#page": schema.PAGE_ATTRIBUTE,
                "#site": schema.SITE_ATTRIBUTE,
            },
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":new": {"N": "1" if new_visitor else "0"},
                ":page": {"S": page},
                ":site": {"S": self._site},
            },
            ReturnValues="ALL_NEW",
        )
        return _page_counts(response.get("Attributes"), page)

    def read(self, page: str) -> PageCounts | None:
        """The page's counts, None when it was never viewed."""
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table,
            Key=self._key(schema.page_key(self._site, page)),
            # A read right after a view must include it.
            ConsistentRead=True,
        )
        item = response.get("Item")
        return _page_counts(item, page) if item else None

    def top(self, limit: int) -> list[PageCounts]:
        """The most viewed pages, most first (the index is eventually consistent)."""
        response = call_dynamodb(
            self._client.query,
            TableName=self._table,
            IndexName=schema.TOP_PAGES_INDEX,
            KeyConditionExpression="#site = :site",
            ExpressionAttributeNames={"#site": schema.SITE_ATTRIBUTE},
            ExpressionAttributeValues={":site": {"S": self._site}},
            ScanIndexForward=False,
            Limit=limit,
        )
        items = response.get("Items") or []
        return [_page_counts(item, _page_of(item)) for item in items]

    def mark_seen(self, digest: str, expires_at: int) -> bool:
        """Record a seen-marker; False when it was already there (a repeat visit)."""
        return self._put_if_absent(
            {**self._key(schema.seen_key(self._site, digest)), **_expiry(expires_at)}
        )

    def salt(self, day: str) -> bytes | None:
        """The salt of one UTC day, None when none was made yet."""
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table,
            Key=self._key(schema.salt_key(self._site, day)),
            ConsistentRead=True,
        )
        item = response.get("Item")
        if not item:
            return None
        try:
            return bytes(item[schema.SALT_ATTRIBUTE]["B"])
        except (KeyError, TypeError) as exc:
            raise CountUnavailable("salt item without a binary salt") from exc

    def create_salt(self, day: str, salt: bytes, expires_at: int) -> bool:
        """Store the day's salt; False when another request stored one first."""
        item = {
            **self._key(schema.salt_key(self._site, day)),
            schema.SALT_ATTRIBUTE: {"B": salt},
            **_expiry(expires_at),
        }
        return self._put_if_absent(item)

    def delete_salts(self, days: list[str]) -> None:
        """Delete past days' salts (up to 25) in one call, so their hashes cannot be recomputed.

        Deleting a salt that is not there is no error. Items DynamoDB leaves unprocessed
        under load are left to their TTL.
        """
        call_dynamodb(
            self._client.batch_write_item,
            RequestItems={
                self._table: [
                    {"DeleteRequest": {"Key": self._key(schema.salt_key(self._site, day))}}
                    for day in days
                ]
            },
        )

    def _put_if_absent(self, item: dict[str, Any]) -> bool:
        try:
            call_dynamodb(
                self._client.put_item,
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(#id)",
                ExpressionAttributeNames={"#id": schema.PARTITION_KEY},
            )
        except ConditionFailed:
            return False
        return True

    @staticmethod
    def _key(item_id: str) -> dict[str, Any]:
        return {schema.PARTITION_KEY: {"S": item_id}}


def _expiry(expires_at: int) -> dict[str, Any]:
    return {schema.TTL_ATTRIBUTE: {"N": str(expires_at)}}


def _page_of(item: Any) -> str:
    try:
        return str(item[schema.PAGE_ATTRIBUTE]["S"])
    except (KeyError, TypeError) as exc:
        raise CountUnavailable("page item without its page id") from exc


def _page_counts(item: Any, page: str) -> PageCounts:
    return PageCounts(
        page=page,
        views=read_number(item, schema.VIEWS_ATTRIBUTE),
        visitors=read_number(item, schema.PAGE_VISITORS_ATTRIBUTE),
    )
