"""A request DynamoDB may have applied is never sent again: a 503 means "counted at most once".

botocore's standard retries repeat a request after a read timeout; DynamoDB may already
have applied it, so a stalled store counted one view twice and answered 503. The handler's
client retries only what DynamoDB cannot have applied: throttling answers and connections
that never opened.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError, ReadTimeoutError

from tests.support.events import http_event
from tests.support.tables import stored_count
from visitor_counter.router import Router

ENDPOINT = "https://dynamodb.eu-west-2.amazonaws.com"


def fail_first(
    client: Any, failures: list[Exception | str], operation: str = "UpdateItem"
) -> list[str]:
    """Make the first attempts of `operation` fail in turn (an exception, or an error code).

    An exception is raised at the HTTP send, below botocore's own retry logic and before
    moto sees the request, so a retry botocore made itself would show as a second attempt.
    An error code is answered before the call, as DynamoDB answers it. Returns the attempts.
    """
    attempts: list[str] = []
    pending = list(failures)

    def before_send(**_: Any) -> None:
        attempts.append(operation)
        failure = pending[0] if pending else None
        if isinstance(failure, Exception):
            pending.pop(0)
            raise failure

    def before_call(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not pending or isinstance(pending[0], Exception):
            return None
        attempts.append(operation)
        body = {"Error": {"Code": pending.pop(0), "Message": "injected"}, "ResponseMetadata": {}}
        return AWSResponse(ENDPOINT, 400, {}, None), body

    client.meta.events.register_first(f"before-send.dynamodb.{operation}", before_send)
    client.meta.events.register(f"before-call.dynamodb.{operation}", before_call)
    return attempts


def test_a_read_timeout_is_not_retried_and_counts_nothing(
    api: Router, handler_client: Any, dynamodb: Any
) -> None:
    attempts = fail_first(handler_client, [ReadTimeoutError(endpoint_url=ENDPOINT)])

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 503
    assert attempts == ["UpdateItem"]
    assert stored_count(dynamodb) == 0


def test_a_dropped_connection_is_not_retried(api: Router, handler_client: Any) -> None:
    attempts = fail_first(
        handler_client, [ConnectionClosedError(endpoint_url=ENDPOINT, request=None)]
    )

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 503
    assert attempts == ["UpdateItem"]


@pytest.mark.parametrize("code", ["ThrottlingException", "ProvisionedThroughputExceededException"])
def test_a_throttled_write_is_retried_once_and_counted_once(
    api: Router, handler_client: Any, dynamodb: Any, code: str
) -> None:
    attempts = fail_first(handler_client, [code])

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 200
    assert attempts == ["UpdateItem", "UpdateItem"]
    assert stored_count(dynamodb) == 1


def test_a_connection_that_never_opened_is_retried(
    api: Router, handler_client: Any, dynamodb: Any
) -> None:
    attempts = fail_first(handler_client, [EndpointConnectionError(endpoint_url=ENDPOINT)])

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 200
    assert attempts == ["UpdateItem", "UpdateItem"]
    assert stored_count(dynamodb) == 1


def test_throttling_on_every_attempt_gives_up_after_the_configured_attempts(
    api: Router, handler_client: Any, dynamodb: Any
) -> None:
    attempts = fail_first(handler_client, ["ThrottlingException"] * 5)

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "1"
    assert attempts == ["UpdateItem", "UpdateItem"]
    assert stored_count(dynamodb) == 0


def test_an_internal_error_is_not_retried(api: Router, handler_client: Any) -> None:
    attempts = fail_first(handler_client, ["InternalServerError"])

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 503
    assert attempts == ["UpdateItem"]


def test_a_write_refused_by_a_running_transaction_is_sent_again_and_counted(
    api: Router, handler_client: Any, dynamodb: Any
) -> None:
    """DynamoDB refuses a write to an item a transaction is writing (a page's day moving):
    TransactionConflictException, nothing applied, so it is sent again."""
    attempts = fail_first(handler_client, ["TransactionConflictException"])

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 200
    assert attempts == ["UpdateItem", "UpdateItem"]
    assert stored_count(dynamodb) == 1
