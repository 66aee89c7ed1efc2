"""One JSON line per request: structured log fields and a valid EMF document, no PII."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.support.events import http_event
from tests.support.faults import fail_operation
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.telemetry import METRICS, NAMESPACE, OUTCOMES, RequestLog
from visitor_counter.wiring import build_router

CLIENT_IP = "198.51.100.77"
USER_AGENT = "Mozilla/5.0 (Telemetry Test Browser 99.1)"


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in stream.getvalue().splitlines()]


def assert_valid_emf(document: dict[str, Any]) -> None:
    """The checks CloudWatch applies to an Embedded Metric Format document."""
    meta = document["_aws"]
    assert isinstance(meta["Timestamp"], int)
    (directive,) = meta["CloudWatchMetrics"]
    assert directive["Namespace"] == NAMESPACE
    for dimension_set in directive["Dimensions"]:
        for dimension in dimension_set:
            assert isinstance(document[dimension], str)
    for metric in directive["Metrics"]:
        assert metric["Unit"] in ("Count", "Milliseconds")
        assert isinstance(document[metric["Name"]], int | float)


def test_a_counted_view_logs_every_field(api: Router, log_stream: io.StringIO) -> None:
    event = http_event("POST", source_ip=CLIENT_IP, user_agent=USER_AGENT)

    api.handle(event)

    (line,) = lines(log_stream)
    assert line["request_id"] == event["requestContext"]["requestId"]
    assert (line["route"], line["status"], line["outcome"]) == ("POST /", 200, "counted")
    assert line["cold_start"] is True
    assert line["latency_ms"] > 0
    assert line["CountedViews"] == 1
    assert line["level"] == "INFO"


def test_only_the_first_request_of_a_container_is_cold(
    api: Router, log_stream: io.StringIO
) -> None:
    api.handle(http_event("POST"))
    api.handle(http_event("POST"))

    assert [line["cold_start"] for line in lines(log_stream)] == [True, False]


@pytest.mark.parametrize(
    ("event", "outcome", "metric"),
    [
        (http_event("GET"), "rejected", "RejectedRequests"),
        (http_event("OPTIONS", origin="https://example.com"), "preflight", None),
        ({"requestContext": {}}, "rejected", "RejectedRequests"),
        (http_event("POST", user_agent="Googlebot/2.1"), "bot", "BotHits"),
        (http_event("POST", "/pages/%2Fa", user_agent="curl/8.5.0"), "bot", "BotHits"),
        (http_event("GET", "/pages", query="top=3"), "read", None),
        (http_event("POST", "/pages/%2Fa", headers={"dnt": "1"}), "counted", "CountedViews"),
    ],
)
def test_outcomes_and_their_metrics(
    api: Router,
    log_stream: io.StringIO,
    event: dict[str, Any],
    outcome: str,
    metric: str | None,
) -> None:
    api.handle(event)

    (line,) = lines(log_stream)
    assert line["outcome"] == outcome
    assert outcome in OUTCOMES
    counted = {name: line[name] for name in METRICS if name != "HandlerLatency"}
    assert counted == {name: int(name == metric) for name in counted}


def test_every_line_is_a_valid_emf_document(api: Router, log_stream: io.StringIO) -> None:
    api.handle(http_event("POST"))
    api.handle(http_event("DELETE"))

    for line in lines(log_stream):
        assert_valid_emf(line)
        assert line["Site"] == "blog"
        assert {m["Name"] for m in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]} == set(METRICS)


def test_no_ip_or_user_agent_ever_reaches_the_log(api: Router, log_stream: io.StringIO) -> None:
    for method in ("POST", "GET", "OPTIONS"):
        api.handle(http_event(method, source_ip=CLIENT_IP, user_agent=USER_AGENT))

    text = log_stream.getvalue()
    assert CLIENT_IP not in text
    assert USER_AGENT not in text
    assert "Telemetry Test Browser" not in text


def test_store_errors_count_as_dynamodb_errors(
    settings: Settings, handler_client: Any, log_stream: io.StringIO
) -> None:
    fail_operation(handler_client, "ThrottlingException")
    api = build_router(settings, handler_client, requests=RequestLog("blog", "INFO", log_stream))

    api.handle(http_event("POST"))

    (line,) = lines(log_stream)
    assert (line["DynamoDBErrors"], line["outcome"], line["level"]) == (1, "error", "ERROR")
    assert line["error_type"] == "ThrottlingException"


def test_below_the_log_level_a_line_keeps_only_its_metrics(
    settings: Settings, handler_client: Any
) -> None:
    stream = io.StringIO()
    api = build_router(settings, handler_client, requests=RequestLog("blog", "ERROR", stream))

    api.handle(http_event("POST"))

    (line,) = lines(stream)
    assert_valid_emf(line)
    assert line["CountedViews"] == 1
    assert "request_id" not in line
    assert "route" not in line
