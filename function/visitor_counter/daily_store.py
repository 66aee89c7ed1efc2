"""DynamoDB access for the daily table (salts, one address's views of a page today).

Nothing here outlives its UTC day: every item carries a TTL of the next midnight, salts are
deleted by the next day's first view, and the table has no point-in-time recovery, so no
backup can bring a past day's salt back. One call per method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from visitor_counter import schema
from visitor_counter.store import ConditionFailed, CountUnavailable, call_dynamodb


@dataclass(frozen=True)
class ClientView:
    """What recording one view of a client found: within its limit, and whether a new visitor."""

    within_limit: bool
    new_visitor: bool


class DailyStore:
    """Reads and writes one site's items in the daily table."""

    def __init__(self, client: Any, table_name: str, site_id: str) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id

    def record_view(
        self, digest: str, *, hour: int, limit: int, visitor: bool, expires_at: int
    ) -> ClientView:
        """Add a view to the client's hour, unless it has `limit` views in that hour already.

        With `visitor`, also flag the client as today's visitor of the page; the answer says
        whether it was not flagged before (a new unique visitor). One conditional update.
        """
        names = {
            "#hour": schema.hour_attribute(hour),
            "#expires": schema.TTL_ATTRIBUTE,
        }
        values: dict[str, Any] = {
            ":one": {"N": "1"},
            ":limit": {"N": str(limit)},
            ":expires": {"N": str(expires_at)},
        }
        update = "ADD #hour :one SET #expires = :expires"
        if visitor:
            names["#visitor"] = schema.VISITOR_FLAG_ATTRIBUTE
            values[":yes"] = {"BOOL": True}
            update += ", #visitor = :yes"
        try:
            response = call_dynamodb(
                self._client.update_item,
                TableName=self._table,
                Key=self._key(schema.client_key(self._site, digest)),
                UpdateExpression=update,
                ConditionExpression="attribute_not_exists(#hour) OR #hour < :limit",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                # The item as it was (a few attributes): no flag means a new visitor. Not
                # UPDATED_OLD: whether that returns an attribute SET to its old value is not
                # documented (moto leaves it out).
                ReturnValues="ALL_OLD",
            )
        except ConditionFailed:
            return ClientView(within_limit=False, new_visitor=False)
        before = response.get("Attributes") or {}
        return ClientView(
            within_limit=True,
            new_visitor=visitor and schema.VISITOR_FLAG_ATTRIBUTE not in before,
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
