"""DynamoDB access for the daily table (salts, one address's views today).

Nothing here outlives its UTC day: every item carries a TTL of the next midnight, salts are
deleted by the next day's first view, and the table has no point-in-time recovery, so no
backup can bring a past day's salt back. One call per method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from visitor_counter import schema
from visitor_counter.errors import ConditionFailed, CountUnavailable
from visitor_counter.store import call_dynamodb


@dataclass(frozen=True)
class ClientView:
    """What recording one view of a client found: within its limits; new to the page, site."""

    within_limit: bool
    new_page_visitor: bool = False
    new_site_visitor: bool = False
    # The view names the first referrer source the client named today: only such a view may
    # bring a day (the page's, the site's) a source it does not have yet.
    own_source: bool = False
    # An event's first from the client today on this page (the record's `pair_tag`).
    new_pair_visitor: bool = False


class DailyStore:
    """Reads and writes one site's items in the daily table."""

    def __init__(self, client: Any, table_name: str, site_id: str) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id

    def record_view(
        self,
        digest: str,
        page_tag: str,
        *,
        hour: int,
        limit: int,
        visitor: bool,
        source_tag: str | None,
        expires_at: int,
        site_visit: bool = True,
        pair_tag: str | None = None,
    ) -> ClientView:
        """Add a view of a page to the client's item, within its limits, in one update.

        Refused (not within its limit) when the client has `limit` views of the page in this
        UTC hour, or would view more than MAX_PAGES_PER_CLIENT_DAY pages today. With
        `visitor`, the page's tag joins ``seen`` and the client is flagged as the site's
        visitor; the answer says whether either is new (unique visitors). `source_tag`, the
        keyed tag of the host or campaign the view names (None for "direct" and "other"),
        becomes the client's source unless it has one: the answer says whether it is that.
        Not a `site_visit` (an event), the client is not flagged (its first view still is
        the site's new visitor), and the tag joins its day's events, not its pages, each
        set with its own cap. `pair_tag` (an event on a page): it joins them too, and the
        answer says whether it is new; the cap counts it, so a client's day holds at most
        the cap's tags whatever it sends, and a pair it has already sent is never refused.
        """
        this_hour = schema.client_hour_attribute(hour, page_tag)
        names = {
            "#pages": schema.CLIENT_PAGES_ATTRIBUTE
            if site_visit
            else schema.CLIENT_EVENTS_ATTRIBUTE,
            "#hour": this_hour,
            "#expires": schema.TTL_ATTRIBUTE,
        }
        most = schema.MAX_PAGES_PER_CLIENT_DAY if site_visit else schema.MAX_EVENTS_PER_CLIENT_DAY
        values: dict[str, Any] = {
            ":tags": {"SS": [page_tag, *([pair_tag] if pair_tag else [])]},
            ":tag": {"S": page_tag},
            ":one": {"N": "1"},
            ":limit": {"N": str(limit)},
            ":max_pages": {"N": str(most)},
            ":expires": {"N": str(expires_at)},
        }
        # Room for what the update adds: nothing (the tag, or the pair, is there), one tag,
        # or, for a new pair of a new event, two.
        room = "attribute_not_exists(#pages) OR contains(#pages, :tag) OR size(#pages) < :max_pages"
        if pair_tag:
            values[":pair"] = {"S": pair_tag}
            values[":max_two"] = {"N": str(most - 1)}
            room = (
                "attribute_not_exists(#pages) OR contains(#pages, :pair)"
                " OR (contains(#pages, :tag) AND size(#pages) < :max_pages)"
                " OR size(#pages) < :max_two"
            )
        adds = ["#pages :tags", "#hour :one"]
        sets = ["#expires = :expires"]
        if visitor:
            names["#seen"] = schema.CLIENT_SEEN_ATTRIBUTE
            adds.append("#seen :tags")
        if visitor and site_visit:
            names["#visitor"] = schema.VISITOR_FLAG_ATTRIBUTE
            values[":yes"] = {"BOOL": True}
            sets.append("#visitor = :yes")
        if source_tag is not None:
            names["#source"] = schema.CLIENT_SOURCE_ATTRIBUTE
            values[":source"] = {"S": source_tag}
            sets.append("#source = if_not_exists(#source, :source)")
        # The page's other hours go: only this hour's count is ever compared, and the item
        # stays at one counter per page.
        past = {
            f"#h{other:02d}": schema.client_hour_attribute(other, page_tag)
            for other in range(24)
            if other != hour
        }
        names |= past
        update = f"ADD {', '.join(adds)} SET {', '.join(sets)} REMOVE {', '.join(past)}"
        try:
            response = call_dynamodb(
                self._client.update_item,
                TableName=self._table,
                Key=self._key(schema.client_key(self._site, digest)),
                UpdateExpression=update,
                ConditionExpression=f"({room}) AND (attribute_not_exists(#hour) OR #hour < :limit)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                # The item as it was (a few attributes): no tag in `seen`, no flag, means a
                # new visitor. Not UPDATED_OLD: whether that returns an attribute SET to its
                # old value is not documented (moto leaves it out).
                ReturnValues="ALL_OLD",
            )
        except ConditionFailed:
            return ClientView(within_limit=False)
        before = response.get("Attributes") or {}
        seen = (before.get(schema.CLIENT_SEEN_ATTRIBUTE) or {}).get("SS") or []
        source_before = (before.get(schema.CLIENT_SOURCE_ATTRIBUTE) or {}).get("S")
        return ClientView(
            within_limit=True,
            new_page_visitor=visitor and page_tag not in seen,
            new_site_visitor=visitor and schema.VISITOR_FLAG_ATTRIBUTE not in before,
            own_source=source_tag is not None and source_before in (None, source_tag),
            new_pair_visitor=visitor and pair_tag is not None and pair_tag not in seen,
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
        try:
            call_dynamodb(
                self._client.put_item,
                TableName=self._table,
                Item={
                    **self._key(schema.salt_key(self._site, day)),
                    schema.SALT_ATTRIBUTE: {"B": salt},
                    schema.TTL_ATTRIBUTE: {"N": str(expires_at)},
                },
                ConditionExpression="attribute_not_exists(#id)",
                ExpressionAttributeNames={"#id": schema.PARTITION_KEY},
            )
        except ConditionFailed:
            return False
        return True

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

    @staticmethod
    def _key(item_id: str) -> dict[str, Any]:
        return {schema.PARTITION_KEY: {"S": item_id}}
