"""The function's errors: what a request or the store can fail with.

They live apart from the HTTP adapter (visitor_counter.http) and the DynamoDB client
(visitor_counter.store) that raise them, so the domain modules need neither to raise one;
the router maps each to its answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class BadRequest(Exception):
    """The event cannot be served; carries the status, the client-facing message, headers."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


class StoreUnavailable(Exception):
    """DynamoDB could not serve the request now; the client may retry later."""

    def __init__(self, reason: str, retry_after_s: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


class CeilingReached(Exception):
    """The site counted its day's ceiling of views: nothing is counted until midnight UTC."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"ceiling reached for {retry_after_s} s")
        self.retry_after_s = retry_after_s


class CountUnavailable(Exception):
    """The update ran (or failed permanently) but no count came back."""


class ConditionFailed(CountUnavailable):
    """A conditional write found its condition false; callers that expect it catch it.

    `item`: the item as the condition found it, when the request asked for it (DynamoDB's
    ReturnValuesOnConditionCheckFailure); None when it did not, or the item was not there.
    `reasons`: a cancelled transaction's reason for each of its items, in order
    ("None", "ConditionalCheckFailed", "TransactionConflict", ...).
    """

    def __init__(
        self,
        reason: str,
        item: dict[str, Any] | None = None,
        reasons: list[str] | None = None,
    ) -> None:
        super().__init__(reason)
        self.item = item
        self.reasons = reasons or []
