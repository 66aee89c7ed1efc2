"""DynamoDB access for the site total (one atomic UpdateItem per hit) and the shared error rules."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from typing import Any

from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
)
from botocore.session import Session, get_session

from visitor_counter import schema
from visitor_counter.errors import ConditionFailed, CountUnavailable, StoreUnavailable
from visitor_counter.settings import Settings

# Error codes that mean "try again shortly"; each maps to a Retry-After in seconds.
_THROTTLED = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
        # STS's, asked for an other site's session (site_sessions.py).
        "Throttling",
        # A write to an item a transaction is writing (a page's day moving) is refused,
        # not applied ("TransactionConflictException", DynamoDB API reference).
        "TransactionConflictException",
    }
)
_UNAVAILABLE = frozenset(
    {
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalFailure",  # STS's
    }
)
_MISCONFIGURED = frozenset(
    {
        "AccessDeniedException",
        # STS's, when another site's session is refused (the sites role's trust, a boundary,
        # or STS off in the Region).
        "AccessDenied",
        "RegionDisabledException",
        "UnrecognizedClientException",
        "ExpiredTokenException",
        "ResourceNotFoundException",
    }
)
RETRY_AFTER_THROTTLED_S = 1
RETRY_AFTER_UNAVAILABLE_S = 5
RETRY_AFTER_MISCONFIGURED_S = 60
# Between retries of a request DynamoDB did not apply: short, the Lambda has seconds.
RETRY_BACKOFF_S = 0.05
# Tries of a BatchGetItem whose keys DynamoDB leaves unprocessed (it does under throttling).
BATCH_ATTEMPTS = 3
UNPROCESSED_BACKOFF_S = 0.05
# The data-plane calls the handler makes; every one goes through the retry rule below.
_OPERATIONS = frozenset(
    {
        "get_item",
        "put_item",
        "update_item",
        "query",
        "batch_write_item",
        "batch_get_item",
        "transact_write_items",
    }
)


def new_dynamodb_client(settings: Settings, session: Session | None = None) -> Any:
    """Create the DynamoDB client once per container (a site's, from its `session`).

    botocore directly rather than boto3: the handler needs only the low-level
    client, and skipping boto3's resource layer shortens the cold start.
    AWS_ENDPOINT_URL_DYNAMODB, when set, points it at a local emulator.
    botocore's own retries are off: they repeat a request after a read timeout, when
    DynamoDB may already have applied it (a view counted twice). RetryUnapplied retries
    only what DynamoDB cannot have applied.
    """
    client = (session or get_session()).create_client(
        "dynamodb", region_name=settings.region, config=client_config(settings)
    )
    return RetryUnapplied(client, settings.dynamodb_max_attempts)


def client_config(settings: Settings) -> Config:
    """The handler's AWS clients' settings: short timeouts, one attempt (botocore's off).

    DynamoDB's (above), and STS's for other sites' sessions (site_sessions.py), whose
    botocore defaults (60 s to connect and to read, three attempts) would outlast the
    Lambda's timeout: a request not answered in time is a 503, not API Gateway's error.
    """
    return Config(
        connect_timeout=settings.dynamodb_connect_timeout_s,
        read_timeout=settings.dynamodb_read_timeout_s,
        retries={"mode": "standard", "total_max_attempts": 1},
    )


class RetryUnapplied:
    """A DynamoDB client whose calls are retried only when they cannot have been applied.

    That is a throttling answer (DynamoDB rejected the request) or a connection that never
    opened (nothing was sent). A read timeout, a dropped connection or a 5xx may follow an
    applied write, so it is never retried: the caller answers 503 and the count may or may
    not include that view, once at most. Everything but the data-plane calls passes through.
    """

    def __init__(
        self, client: Any, attempts: int, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._client = client
        self._attempts = attempts
        self._sleep = sleep

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name not in _OPERATIONS:
            return attribute

        def call(**request: Any) -> Any:
            for attempt in range(1, self._attempts + 1):
                try:
                    return attribute(**request)
                except ClientError as exc:
                    if attempt == self._attempts or _error_code(exc) not in _THROTTLED:
                        raise
                except (EndpointConnectionError, ConnectTimeoutError):
                    if attempt == self._attempts:
                        raise
                self._sleep(RETRY_BACKOFF_S * attempt)
            raise AssertionError("unreachable: the last attempt returns or raises")

        return call


def call_dynamodb(operation: Callable[..., dict[str, Any]], **request: Any) -> dict[str, Any]:
    """Run one DynamoDB call; failures become StoreUnavailable or CountUnavailable."""
    try:
        return operation(**request)
    except ClientError as exc:
        raise _classify(exc) from exc
    except BotoCoreError as exc:
        # Connection refused or timed out, a read timeout: the request may not have run.
        raise StoreUnavailable(type(exc).__name__, RETRY_AFTER_UNAVAILABLE_S) from exc


def query_items(client: Any, table: str, **request: Any) -> Iterator[dict[str, Any]]:
    """Every item a Query finds, a call per page of results (1 MB each), as they are read."""
    start: dict[str, Any] | None = None
    while True:
        response = call_dynamodb(
            client.query,
            TableName=table,
            **request,
            **({"ExclusiveStartKey": start} if start else {}),
        )
        yield from response.get("Items") or []
        start = response.get("LastEvaluatedKey")
        if not start:
            return


def days_of(client: Any, table: str, key: str, first: str, last: str) -> Iterator[dict[str, Any]]:
    """A history partition's days from `first` to `last`, oldest first (a Query per MB)."""
    return query_items(
        client, table, **_day_range(schema.PARTITION_KEY, key, schema.HISTORY_SORT_KEY, first, last)
    )


def read_strings(item: Any, attribute: str) -> frozenset[str]:
    """A string set attribute of an item; empty when it has none."""
    return frozenset((item.get(attribute) or {}).get("SS") or [])


def newest_days(
    client: Any, table: str, index: str, site: str, first: str, last: str
) -> Iterator[dict[str, Any]]:
    """An index partition's entries (`site`, `day`) from `first` to `last`, newest first."""
    return query_items(
        client,
        table,
        IndexName=index,
        ScanIndexForward=False,
        **_day_range(schema.SITE_ATTRIBUTE, site, schema.DAY_ATTRIBUTE, first, last),
    )


def _day_range(key: str, value: str, day: str, first: str, last: str) -> dict[str, Any]:
    """A Query's key condition: `key` = `value` and `day` from `first` to `last`."""
    return {
        "KeyConditionExpression": "#key = :key AND #day BETWEEN :first AND :last",
        "ExpressionAttributeNames": {"#key": key, "#day": day},
        "ExpressionAttributeValues": {
            ":key": {"S": value},
            ":first": {"S": first},
            ":last": {"S": last},
        },
    }


def items_by_shard(
    client: Any, table: str, key: str, shards: int, *attributes: str
) -> dict[int, dict[str, Any]]:
    """The items of a key's write shards that exist, `attributes` of each, by shard."""
    keys = [{schema.PARTITION_KEY: {"S": schema.shard_key(key, n)}} for n in range(shards)]
    shard_of = {schema.shard_key(key, n): n for n in range(shards)}
    names = {f"#a{n}": name for n, name in enumerate((schema.PARTITION_KEY, *attributes))}
    items = batch_get(
        client,
        table,
        keys,
        ProjectionExpression=", ".join(names),
        ExpressionAttributeNames=names,
    )
    return {shard_of[item[schema.PARTITION_KEY]["S"]]: item for item in items}


def batch_get(
    client: Any, table: str, keys: Sequence[dict[str, Any]], **read: Any
) -> list[dict[str, Any]]:
    """The items of `keys` that exist (in no order): a BatchGetItem per 100 keys.

    `read`: a ProjectionExpression and its names, if any. Keys DynamoDB leaves unprocessed
    (throttling) are asked again with backoff, BATCH_ATTEMPTS times in all.
    """
    items: list[dict[str, Any]] = []
    for start in range(0, len(keys), schema.BATCH_GET_KEYS):
        batch = list(keys[start : start + schema.BATCH_GET_KEYS])
        for attempt in range(BATCH_ATTEMPTS):
            if attempt:
                time.sleep(UNPROCESSED_BACKOFF_S * 2 ** (attempt - 1))  # as AWS advises
            response = call_dynamodb(
                client.batch_get_item, RequestItems={table: {"Keys": batch, **read}}
            )
            items += (response.get("Responses") or {}).get(table) or []
            batch = ((response.get("UnprocessedKeys") or {}).get(table) or {}).get("Keys") or []
            if not batch:
                break
        if batch:
            raise StoreUnavailable("UnprocessedKeys", RETRY_AFTER_UNAVAILABLE_S)
    return items


class SiteTotal:
    """Counts hits of one site in the counter table, its total split in write shards."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        shards: int = 1,
        pick: Callable[[int], int] = lambda shards: 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._table_name = table_name
        self._shards = shards
        self._pick = pick
        self._clock = clock
        # The other shards' totals as last read: when, and by shard.
        self._others: tuple[float, dict[int, int]] = (-schema.OTHER_SHARDS_FOR_S, {})

    def increment(self, item_id: str) -> int:
        """Add one to the total and return the new value, in one round trip.

        Split, the hit goes to one write shard (`pick`: each in turn), and the answer adds
        the others as this container last read them: once every schema.OTHER_SHARDS_FOR_S at most
        (a round trip more, half a read unit a shard), so it may be that far behind on them;
        what is stored is exact. A failed read of them answers with what it has, never 503:
        the hit is counted.
        """
        shard = self._pick(self._shards)
        response = call_dynamodb(
            self._client.update_item,
            TableName=self._table_name,
            Key=self._key(item_id, shard),
            UpdateExpression="ADD #count :one",
            ExpressionAttributeNames={"#count": schema.SITE_TOTAL_ATTRIBUTE},
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        total = read_number(response.get("Attributes"), schema.SITE_TOTAL_ATTRIBUTE)
        if self._shards == 1:
            return total
        now = self._clock()
        if now - self._others[0] >= schema.OTHER_SHARDS_FOR_S:
            with suppress(StoreUnavailable, CountUnavailable):
                self._others = (now, self._read_shards(item_id))
        return total + sum(count for n, count in self._others[1].items() if n != shard)

    def read(self, item_id: str) -> int:
        """The total without changing it (0 before the first hit), in one round trip."""
        if self._shards > 1:
            return sum(self._read_shards(item_id).values())
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table_name,
            Key=self._key(item_id, 0),
            ConsistentRead=True,
            **_COUNT,
        )
        item = response.get("Item")
        return read_number(item, schema.SITE_TOTAL_ATTRIBUTE) if item else 0

    def _read_shards(self, item_id: str) -> dict[int, int]:
        """Each write shard's total (eventually consistent)."""
        items = items_by_shard(
            self._client, self._table_name, item_id, self._shards, schema.SITE_TOTAL_ATTRIBUTE
        )
        return {n: read_number(item, schema.SITE_TOTAL_ATTRIBUTE) for n, item in items.items()}

    @staticmethod
    def _key(item_id: str, shard: int) -> dict[str, Any]:
        return {schema.PARTITION_KEY: {"S": schema.shard_key(item_id, shard)}}


_COUNT: dict[str, Any] = {
    "ProjectionExpression": "#count",
    "ExpressionAttributeNames": {"#count": schema.SITE_TOTAL_ATTRIBUTE},
}


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def _classify(exc: ClientError) -> Exception:
    code = _error_code(exc)
    if code in _THROTTLED:
        return StoreUnavailable(code, RETRY_AFTER_THROTTLED_S)
    if code in _UNAVAILABLE:
        return StoreUnavailable(code, RETRY_AFTER_UNAVAILABLE_S)
    if code in _MISCONFIGURED:
        return StoreUnavailable(code, RETRY_AFTER_MISCONFIGURED_S)
    if code == "ConditionalCheckFailedException":
        return ConditionFailed(code, exc.response.get("Item"))
    if code == "TransactionCanceledException":
        # A condition of the transaction was false, or another write to its items was under
        # way (TransactionConflict): either way nothing was applied, and the caller tries
        # again; the reasons say which item refused, in the order of the request's items.
        reasons = [
            str(reason.get("Code")) for reason in exc.response.get("CancellationReasons", [])
        ]
        return ConditionFailed(code, reasons=reasons)
    return CountUnavailable(code)


def read_text(item: Any, attribute: str) -> str:
    """A string attribute of an item; CountUnavailable when it is missing or not a string."""
    try:
        return str(item[attribute]["S"])
    except (KeyError, TypeError) as exc:
        raise CountUnavailable(f"no string {attribute!r} in the DynamoDB item") from exc


def number_or_zero(item: Any, attribute: str) -> int:
    """A number attribute the item may lack (0 then)."""
    return read_number(item, attribute) if attribute in item else 0


def read_referrers(item: Any) -> dict[str, int]:
    """A day's views by referrer source, from its ``r:{source}`` attributes."""
    return {
        name[len(schema.REFERRER_PREFIX) :]: read_number(item, name)
        for name in item
        if name.startswith(schema.REFERRER_PREFIX)
    }


def read_agents(item: Any) -> dict[str, int]:
    """A day's views by browser, system and device class: its ``a:`` attributes, as named."""
    return {name: read_number(item, name) for name in item if name.startswith(schema.AGENT_PREFIX)}


def read_number(item: Any, attribute: str) -> int:
    """A number attribute of an item; CountUnavailable when it is missing or not a number."""
    try:
        return int(item[attribute]["N"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CountUnavailable(f"no number {attribute!r} in the DynamoDB response") from exc
