"""Every failure answers clean JSON, never counts, and never leaks AWS internals."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.faults import SECRET_AWS_MESSAGE, fail_operation, leave_keys_unprocessed
from tests.support.tables import all_items, stored_count
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.store import BATCH_ATTEMPTS, new_dynamodb_client
from visitor_counter.telemetry import RequestLog
from visitor_counter.wiring import build_router


@pytest.mark.parametrize(
    ("code", "status", "retry_after"),
    [
        ("ProvisionedThroughputExceededException", 400, "1"),
        ("ThrottlingException", 400, "1"),
        ("RequestLimitExceeded", 400, "1"),
        ("InternalServerError", 500, "5"),
        ("ServiceUnavailable", 503, "5"),
        ("AccessDeniedException", 400, "60"),
        ("ResourceNotFoundException", 400, "60"),
    ],
)
def test_dynamodb_trouble_is_503_with_retry_after(
    api: Router,
    dynamodb: Any,
    handler_client: Any,
    code: str,
    status: int,
    retry_after: str,
) -> None:
    fail_operation(handler_client, code, status)

    response = api.handle(http_event("POST", origin="https://example.com"))

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == retry_after
    assert response["headers"]["Content-Type"] == "application/json"
    assert response["headers"]["Access-Control-Allow-Origin"] == "https://example.com"
    assert json.loads(response["body"]) == {
        "error": "Visitor count temporarily unavailable, please retry later."
    }
    assert SECRET_AWS_MESSAGE not in response["body"]
    assert stored_count(dynamodb) == 0


def test_dynamodb_trouble_is_logged_with_the_request_id(
    api: Router, handler_client: Any, log_stream: io.StringIO
) -> None:
    fail_operation(handler_client, "ThrottlingException")
    event = http_event("POST")

    api.handle(event)

    (line,) = [json.loads(raw) for raw in log_stream.getvalue().splitlines()]
    assert line["request_id"] == event["requestContext"]["requestId"]
    assert line["error_type"] == "ThrottlingException"
    assert line["level"] == "ERROR"


def test_unreachable_dynamodb_is_503(
    settings: Settings, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A port nothing listens on: the real connection error path of botocore.
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")
    api = build_router(
        settings,
        new_dynamodb_client(settings),
        requests=RequestLog("blog", "ERROR", io.StringIO()),
    )

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "5"
    assert stored_count(dynamodb) == 0


def test_missing_counter_in_response_is_500(api: Router, handler_client: Any) -> None:
    handler_client.meta.events.register(
        "after-call.dynamodb.UpdateItem", lambda parsed, **_: parsed.pop("Attributes", None)
    )

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 500
    assert response["body"] == '{"error":"Visitor count unavailable."}'


def test_counter_of_the_wrong_type_is_500_and_unchanged(api: Router, dynamodb: Any) -> None:
    item = {"ID": {"S": "blog"}, "visitors": {"S": "many"}}
    dynamodb.put_item(TableName="cloud-resume-challenge-test", Item=item)

    response = api.handle(http_event("POST"))

    assert response["statusCode"] == 500
    assert json.loads(response["body"]) == {"error": "Visitor count unavailable."}
    stored = dynamodb.get_item(TableName="cloud-resume-challenge-test", Key={"ID": {"S": "blog"}})
    assert stored["Item"] == item


def test_unexpected_exception_is_500_json_without_trace(
    settings: Settings, handler_client: Any, log_stream: io.StringIO
) -> None:
    def explode(**_: Any) -> None:
        raise RuntimeError("secret internal detail")

    handler_client.meta.events.register("before-call.dynamodb.UpdateItem", explode)
    api = build_router(settings, handler_client, requests=RequestLog("blog", "INFO", log_stream))

    response = api.handle(http_event("POST"), "ctx-id")

    assert response["statusCode"] == 500
    assert response["body"] == '{"error":"Visitor count unavailable."}'
    assert "secret" not in log_stream.getvalue()
    assert json.loads(log_stream.getvalue())["error_type"] == "RuntimeError"


MALFORMED = [
    pytest.param({}, 400, "Malformed request: requestContext is missing.", id="no-context"),
    pytest.param(
        {"requestContext": {"http": {}}},
        400,
        "Malformed request: requestContext.http.method is missing.",
        id="no-method",
    ),
    pytest.param(
        {**http_event("POST"), "headers": ["x"]},
        400,
        "Malformed request: headers must be an object.",
        id="headers-not-object",
    ),
    pytest.param(
        {**http_event("POST"), "body": "!!not base64!!", "isBase64Encoded": True},
        400,
        "Malformed request: body is not valid base64.",
        id="bad-base64",
    ),
    pytest.param(
        http_event("POST", body="x" * 1025),
        413,
        "Request body is larger than 1024 bytes.",
        id="oversized",
    ),
    pytest.param(
        http_event("POST", body=b"\0" * 1025),
        413,
        "Request body is larger than 1024 bytes.",
        id="oversized-base64",
    ),
    pytest.param(
        {**http_event("POST"), "body": 12},
        400,
        "Malformed request: body must be a string.",
        id="body-not-string",
    ),
    pytest.param(http_event("POST", path="/admin"), 404, "Not found.", id="unknown-path"),
]


@pytest.mark.parametrize(("event", "status", "message"), MALFORMED)
def test_malformed_events_are_4xx_json_and_never_count(
    api: Router, dynamodb: Any, event: Any, status: int, message: str
) -> None:
    response = api.handle(event)

    assert response["statusCode"] == status
    assert json.loads(response["body"]) == {"error": message}
    assert response["headers"]["Content-Type"] == "application/json"
    assert stored_count(dynamodb) == 0


def test_small_body_is_accepted(api: Router, dynamodb: Any) -> None:
    response = api.handle(http_event("POST", body='{"page": "/"}'))

    assert response["statusCode"] == 200
    assert stored_count(dynamodb) == 1


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        ("POST", "/pages/%2Fa", "GetItem"),  # reading the known pages, then the day's salt
        ("POST", "/pages/%2Fa", "UpdateItem"),  # recording the client's view
        ("GET", "/pages/%2Fa", "GetItem"),
        ("GET", "/pages", "BatchGetItem"),
    ],
)
def test_dynamodb_trouble_on_page_routes_is_503_and_changes_nothing(
    api: Router,
    dynamodb: Any,
    handler_client: Any,
    settings: Settings,
    clock: Clock,
    method: str,
    path: str,
    operation: str,
) -> None:
    # Another container counted this visitor's view: the salt exists, not in `api`'s cache.
    other = build_router(
        settings,
        new_dynamodb_client(settings),
        requests=RequestLog("blog", "ERROR", io.StringIO()),
        clock=clock,
    )
    other.handle(http_event("POST", "/pages/%2Fa"))
    before = all_items(dynamodb)
    fail_operation(handler_client, "ThrottlingException", operation=operation)

    response = api.handle(http_event(method, path))

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "1"
    assert SECRET_AWS_MESSAGE not in response["body"]
    assert all_items(dynamodb) == before


def test_a_page_item_of_the_wrong_type_is_500_and_unchanged(api: Router, dynamodb: Any) -> None:
    item = {"ID": {"S": "blog#page#/a"}, "views": {"S": "many"}, "visitors": {"N": "1"}}
    dynamodb.put_item(TableName="cloud-resume-challenge-test", Item=item)

    response = api.handle(http_event("GET", "/pages/%2Fa"))

    assert response["statusCode"] == 500
    assert json.loads(response["body"]) == {"error": "Visitor count unavailable."}
    assert all_items(dynamodb) == [item]


def test_keys_left_unprocessed_are_asked_again(api: Router, handler_client: Any) -> None:
    api.handle(http_event("POST", "/pages/%2F"))
    answered = leave_keys_unprocessed(handler_client, times=BATCH_ATTEMPTS - 1)

    response = api.handle(http_event("GET", "/pages", query="top=5"))

    assert len(answered) == BATCH_ATTEMPTS - 1
    assert json.loads(response["body"]) == {"pages": [{"page": "/", "views": 1, "visitors": 1}]}


def test_keys_still_unprocessed_after_every_attempt_are_503_and_change_nothing(
    api: Router, dynamodb: Any, handler_client: Any
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))
    api.handle(http_event("GET", "/pages/%2Fa"))  # the known pages, read and cached
    before = all_items(dynamodb)
    leave_keys_unprocessed(handler_client, times=BATCH_ATTEMPTS)

    response = api.handle(http_event("GET", "/pages", query="top=5"))

    assert response["statusCode"] == 503
    assert all_items(dynamodb) == before
