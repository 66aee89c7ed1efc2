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
from visitor_counter.telemetry import (
    METRICS,
    NAMESPACE,
    OUTCOMES,
    ROUTINE_OUTCOMES,
    RequestLog,
    RequestRecord,
    emf_document,
    request_line,
)
from visitor_counter.wiring import build_router

CLIENT_IP = "198.51.100.77"
USER_AGENT = "Mozilla/5.0 (Telemetry Test Browser 99.1)"
# What only a full line holds: a routine line at INFO leaves these to DEBUG.
LOG_FIELDS = ("level", "message", "request_id", "route", "status", "latency_ms")


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


def assert_every_metric(document: dict[str, Any]) -> None:
    """A valid EMF document declaring each metric, with its unit, the site and a value."""
    assert_valid_emf(document)
    (directive,) = document["_aws"]["CloudWatchMetrics"]
    assert directive["Dimensions"] == [["Site"]]
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == METRICS
    assert all(isinstance(document[name], int | float) for name in METRICS)


def record(outcome: str, **fields: Any) -> RequestRecord:
    """A request's record as the router makes it, with the given outcome."""
    return RequestRecord(
        request_id="req-1",
        route="POST /pages/%2Fblog",
        status=200,
        latency_ms=4.5,
        cold_start=False,
        outcome=outcome,
        **fields,
    )


def form(line: dict[str, Any]) -> str:
    """Which of RequestLog's three lines this is."""
    if "request_id" in line:
        return "full"
    return "compact" if "outcome" in line else "metrics only"


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
        (http_event("DELETE"), "rejected", "RejectedRequests"),
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


def test_at_info_a_routine_line_is_compact_and_keeps_every_metric(
    settings: Settings, handler_client: Any
) -> None:
    stream = io.StringIO()
    api = build_router(settings, handler_client, requests=RequestLog("blog", "INFO", stream))

    api.handle(http_event("POST", "/pages/%2Fa"))
    api.handle(http_event("GET", "/pages/%2Fa"))

    counted, read = lines(stream)
    for line in (counted, read):
        assert_every_metric(line)
        assert not set(LOG_FIELDS) & set(line)
    assert (counted["outcome"], counted["CountedViews"], counted["UniqueVisitors"]) == (
        "counted",
        1,
        1,
    )
    assert (read["outcome"], read["CountedViews"]) == ("read", 0)


def test_a_compact_line_says_cold_start_only_on_a_containers_first_request(
    settings: Settings, handler_client: Any
) -> None:
    stream = io.StringIO()
    api = build_router(settings, handler_client, requests=RequestLog("blog", "INFO", stream))

    api.handle(http_event("POST"))
    api.handle(http_event("POST"))

    first, second = lines(stream)
    assert first["cold_start"] is True
    assert "cold_start" not in second


@pytest.mark.parametrize("outcome", ["ceiling", "rejected", "error"])
def test_at_info_a_ceiling_a_rejection_and_an_error_keep_their_full_line(outcome: str) -> None:
    failure = {"error_type": "ThrottlingException", "store_error": True}
    request = record(outcome, **(failure if outcome == "error" else {}))

    line = request_line(request, "blog", "INFO", 1_764_662_400_000)

    assert line == emf_document(request, "blog", 1_764_662_400_000)
    assert set(LOG_FIELDS) <= set(line)
    assert_every_metric(line)
    if outcome == "error":
        assert (line["error_type"], line["level"], line["DynamoDBErrors"]) == (
            "ThrottlingException",
            "ERROR",
            1,
        )


@pytest.mark.parametrize(
    ("outcome", "forms"),
    [
        ("counted", ["full", "compact", "metrics only", "metrics only"]),
        ("preflight", ["full", "compact", "metrics only", "metrics only"]),
        ("ceiling", ["full", "full", "metrics only", "metrics only"]),
        ("rejected", ["full", "full", "full", "metrics only"]),
        ("error", ["full", "full", "full", "full"]),
    ],
)
def test_what_each_log_level_writes(outcome: str, forms: list[str]) -> None:
    levels = ("DEBUG", "INFO", "WARNING", "ERROR")

    written = [request_line(record(outcome), "blog", level, 0) for level in levels]

    assert [form(line) for line in written] == forms
    for line in written:
        assert_every_metric(line)


def test_only_a_ceiling_a_rejection_and_an_error_are_not_routine() -> None:
    assert set(OUTCOMES) - ROUTINE_OUTCOMES == {"ceiling", "rejected", "error"}
    assert ROUTINE_OUTCOMES.issubset(OUTCOMES)


def test_an_unknown_log_level_fails_when_the_log_is_made() -> None:
    with pytest.raises(ValueError, match="'LOUD' is not one of DEBUG, INFO, WARNING, ERROR"):
        RequestLog("blog", "LOUD")
