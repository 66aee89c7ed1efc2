"""DynamoDB access for the site total (one atomic UpdateItem per hit) and the shared error rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.session import get_session

from visitor_counter import schema
from visitor_counter.settings import Settings

# Error codes that mean "try again shortly"; each maps to a Retry-After in seconds.
_THROTTLED = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
    }
)
_UNAVAILABLE = frozenset(
    {"InternalServerError", "ServiceUnavailable", "ServiceUnavailableException"}
)
_MISCONFIGURED = frozenset(
    {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "ExpiredTokenException",
        "ResourceNotFoundException",
    }
)
RETRY_AFTER_THROTTLED_S = 1
RETRY_AFTER_UNAVAILABLE_S = 5
RETRY_AFTER_MISCONFIGURED_S = 60


class StoreUnavailable(Exception):
    """DynamoDB could not serve the request now; the client may retry later."""

    def __init__(self, reason: str, retry_after_s: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


class CountUnavailable(Exception):
    """The update ran (or failed permanently) but no count came back."""


class ConditionFailed(CountUnavailable):
    """A conditional write found its condition false; callers that expect it catch it."""


def new_dynamodb_client(settings: Settings) -> Any:
    """Create the DynamoDB client once per container.

    botocore directly rather than boto3: the handler needs only the low-level
    client, and skipping boto3's resource layer shortens the cold start.
    AWS_ENDPOINT_URL_DYNAMODB, when set, points it at a local emulator.
    """
    config = Config(
        connect_timeout=settings.dynamodb_connect_timeout_s,
        read_timeout=settings.dynamodb_read_timeout_s,
        retries={"mode": "standard", "total_max_attempts": settings.dynamodb_max_attempts},
    )
    return get_session().create_client("dynamodb", region_name=settings.region, config=config)


def call_dynamodb(operation: Callable[..., dict[str, Any]], **request: Any) -> dict[str, Any]:
    """Run one DynamoDB call; failures become StoreUnavailable or CountUnavailable."""
    try:
        return operation(**request)
    except ClientError as exc:
        raise _classify(exc) from exc
    except BotoCoreError as exc:
        # Connection refused, timeouts, endpoint errors: the service was not reached.
        raise StoreUnavailable(type(exc).__name__, RETRY_AFTER_UNAVAILABLE_S) from exc


class SiteTotal:
    """Counts hits of one site in the counter table."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table_name = table_name

    def increment(self, item_id: str) -> int:
        """Add one to the item's counter and return the new value, in one round trip."""
        response = call_dynamodb(
            self._client.update_item,
            TableName=self._table_name,
            Key={schema.PARTITION_KEY: {"S": item_id}},
            UpdateExpression="ADD #count :one",
            ExpressionAttributeNames={"#count": schema.SITE_TOTAL_ATTRIBUTE},
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return read_number(response.get("Attributes"), schema.SITE_TOTAL_ATTRIBUTE)

    def read(self, item_id: str) -> int:
        """The item's counter without changing it (0 before the first hit), in one round trip."""
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table_name,
            Key={schema.PARTITION_KEY: {"S": item_id}},
            ProjectionExpression="#count",
            ExpressionAttributeNames={"#count": schema.SITE_TOTAL_ATTRIBUTE},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return read_number(item, schema.SITE_TOTAL_ATTRIBUTE) if item else 0


def _classify(exc: ClientError) -> Exception:
    code = exc.response.get("Error", {}).get("Code", "Unknown")
    if code in _THROTTLED:
        return StoreUnavailable(code, RETRY_AFTER_THROTTLED_S)
    if code in _UNAVAILABLE:
        return StoreUnavailable(code, RETRY_AFTER_UNAVAILABLE_S)
    if code in _MISCONFIGURED:
        return StoreUnavailable(code, RETRY_AFTER_MISCONFIGURED_S)
    if code == "ConditionalCheckFailedException":
        return ConditionFailed(code)
    return CountUnavailable(code)


def read_number(item: Any, attribute: str) -> int:
    """A number attribute of an item; CountUnavailable when it is missing or not a number."""
    try:
        return int(item[attribute]["N"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CountUnavailable(f"no number {attribute!r} in the DynamoDB response") from exc
