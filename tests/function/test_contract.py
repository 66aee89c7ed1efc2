"""The original Rust counter's API contract, line by line."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from moto.dynamodb.responses import DynamoHandler

from tests.support.events import SITE_ORIGIN, http_event
from tests.support.tables import all_items, stored_count
from visitor_counter.router import Router


def test_post_counts_and_answers_the_new_total(api: Router, dynamodb: Any) -> None:
    first = api.handle(http_event("POST"))
    second = api.handle(http_event("POST"))

    assert first["statusCode"] == 200
    assert first["body"] == '{"visitors":1}'
    assert json.loads(second["body"]) == {"visitors": 2}
    assert stored_count(dynamodb) == 2


def test_post_answers_json_content_type(api: Router) -> None:
    response = api.handle(http_event("POST"))

    assert response["headers"]["Content-Type"] == "application/json"


def test_visitors_is_a_json_number(api: Router) -> None:
    visitors = json.loads(api.handle(http_event("POST"))["body"])["visitors"]

    assert isinstance(visitors, int)
    assert not isinstance(visitors, bool)


def test_count_continues_from_the_stored_value(api: Router, dynamodb: Any) -> None:
    dynamodb.put_item(
        TableName="cloud-resume-challenge-test",
        Item={"ID": {"S": "blog"}, "visitors": {"N": "41"}},
    )

    response = api.handle(http_event("POST"))

    assert json.loads(response["body"]) == {"visitors": 42}


def test_options_is_204_without_body_and_does_not_count(api: Router, dynamodb: Any) -> None:
    response = api.handle(http_event("OPTIONS", origin="https://example.com"))

    assert response["statusCode"] == 204
    assert response["body"] == ""
    assert stored_count(dynamodb) == 0


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "HEAD", "BREW"])
def test_other_methods_are_405_and_do_not_count(api: Router, dynamodb: Any, method: str) -> None:
    response = api.handle(http_event(method))

    assert response["statusCode"] == 405
    assert json.loads(response["body"]) == {"error": "Method not allowed."}
    assert response["headers"]["Allow"] == "GET, POST, OPTIONS"
    assert stored_count(dynamodb) == 0


@pytest.mark.parametrize("origin", [SITE_ORIGIN, None, "https://evil.example"])
def test_get_reads_the_total_and_counts_nothing(
    api: Router, dynamodb: Any, origin: str | None
) -> None:
    """What counter.js shows a browser whose owner asked not to be counted: the total, read."""
    api.handle(http_event("POST", origin=SITE_ORIGIN))
    before = all_items(dynamodb)

    response = api.handle(http_event("GET", origin=origin))

    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"visitors": 1}
    assert all_items(dynamodb) == before


@pytest.mark.parametrize(
    "origin", ["https://example.com", "https://www.example.com", "http://localhost:4321"]
)
def test_allowed_origin_gets_cors_headers(api: Router, origin: str) -> None:
    preflight = api.handle(http_event("OPTIONS", origin=origin))
    post = api.handle(http_event("POST", origin=origin))

    for response in (preflight, post):
        assert response["headers"]["Access-Control-Allow-Origin"] == origin
        assert response["headers"]["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
        assert response["headers"]["Vary"] == "Origin"
    assert preflight["headers"]["Access-Control-Max-Age"] == "600"


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://example.com", "https://example.com.evil", "null"]
)
def test_other_origins_get_no_cors_headers(api: Router, origin: str) -> None:
    preflight = api.handle(http_event("OPTIONS", origin=origin))
    post = api.handle(http_event("POST", origin=origin))

    for response in (preflight, post):
        assert not any(name.startswith("Access-Control-") for name in response["headers"])


def test_request_without_origin_gets_no_cors_headers(api: Router) -> None:
    response = api.handle(http_event("POST", origin=None))

    assert "Access-Control-Allow-Origin" not in response["headers"]


def test_counts_the_site_item_in_the_visitors_attribute(api: Router, dynamodb: Any) -> None:
    api.handle(http_event("POST"))

    item = dynamodb.get_item(TableName="cloud-resume-challenge-test", Key={"ID": {"S": "blog"}})
    assert item["Item"] == {"ID": {"S": "blog"}, "visitors": {"N": "1"}}


def test_one_update_item_round_trip_per_counted_hit(api: Router, handler_client: Any) -> None:
    api.handle(http_event("POST"))  # the container's first look at the daily ceiling
    calls: list[str] = []
    handler_client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )

    api.handle(http_event("POST"))

    assert calls == ["UpdateItem"]


def test_update_is_an_atomic_add_returning_updated_new(api: Router, handler_client: Any) -> None:
    params_seen: list[dict[str, Any]] = []
    handler_client.meta.events.register(
        "before-parameter-build.dynamodb.UpdateItem",
        lambda params, **_: params_seen.append(dict(params)),
    )

    api.handle(http_event("POST"))

    (params,) = params_seen
    assert params["UpdateExpression"] == "ADD #count :one"
    assert params["ExpressionAttributeNames"] == {"#count": "visitors"}
    assert params["ExpressionAttributeValues"] == {":one": {"N": "1"}}
    assert params["ReturnValues"] == "UPDATED_NEW"


@pytest.fixture
def atomic_moto_updates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make moto apply each UpdateItem atomically, as DynamoDB does.

    moto's in-process backend does read-modify-write without a lock. Serializing single
    UpdateItem requests restores DynamoDB's per-request atomicity, and nothing more: a handler
    that read the count and wrote it back in two calls would still lose updates here. The
    request handler is what is serialized, not only the backend's update: moto reads the item
    before the update to compute the answer's UPDATED_NEW, so two concurrent answers could
    carry the same count (seen once in 1062 runs).
    """
    original = DynamoHandler.update_item
    lock = threading.Lock()

    def update_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(DynamoHandler, "update_item", update_item)


@pytest.mark.usefixtures("atomic_moto_updates")
def test_concurrent_hits_are_never_lost(api: Router, dynamodb: Any) -> None:
    hits = 200

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda _: api.handle(http_event("POST")), range(hits)))

    assert [r["statusCode"] for r in responses] == [200] * hits
    counts = sorted(json.loads(r["body"])["visitors"] for r in responses)
    assert counts == list(range(1, hits + 1))
    assert stored_count(dynamodb) == hits
