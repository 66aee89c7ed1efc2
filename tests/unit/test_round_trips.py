"""DynamoDB round trips per request, counted on the handler's own client."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import http_event
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.telemetry import RequestLog
from visitor_counter.wiring import build_router

DAY = 86_400


@pytest.fixture
def calls(handler_client: Any) -> list[str]:
    """The DynamoDB operations the handler's client makes, in order."""
    made: list[str] = []
    handler_client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: made.append(model.name)
    )
    return made


def test_the_site_total_is_one_round_trip(api: Router, calls: list[str]) -> None:
    api.handle(http_event("POST"))

    assert calls == ["UpdateItem"]


def test_a_page_view_is_two_round_trips_once_the_salt_is_known(
    api: Router, calls: list[str]
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fb"))  # new visitor of /b
    api.handle(http_event("POST", "/pages/%2Fb"))  # repeat visit

    # The client's item (limit and visitor flag), then the page's counters.
    assert calls == ["UpdateItem", "UpdateItem"] * 2


def test_a_view_over_the_clients_limit_is_two_round_trips(
    settings: Settings, handler_client: Any, clock: Clock, calls: list[str]
) -> None:
    api = build_router(
        replace(settings, max_views_per_client_hour=1),
        handler_client,
        requests=RequestLog("blog", "ERROR", io.StringIO()),
        clock=clock,
    )
    api.handle(http_event("POST", "/pages/%2Fa"))
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fa"))

    assert calls == ["UpdateItem", "GetItem"]  # refused by its condition, then the counts


def test_the_days_first_page_view_reads_the_known_pages_makes_the_salt_and_sweeps(
    api: Router, calls: list[str]
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))

    assert calls == [
        "GetItem",  # the known pages, once per container every few minutes
        "GetItem",  # today's salt: none yet
        "PutItem",
        "BatchWriteItem",
        "UpdateItem",
        "UpdateItem",
    ]


def test_the_known_pages_are_read_again_after_their_refresh_time(
    api: Router, calls: list[str], clock: Clock, settings: Settings
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))
    clock.now_s += settings.known_pages_refresh_s
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fa"))

    assert calls == ["GetItem", "UpdateItem", "UpdateItem"]


def test_a_container_reads_an_existing_salt_once_a_day(
    api: Router, calls: list[str], clock: Clock
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))
    clock.now_s += DAY
    api.handle(http_event("POST", "/pages/%2Fa"))
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fa", source_ip="192.0.2.44"))

    assert calls == ["UpdateItem", "UpdateItem"]


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (http_event("POST", "/pages/%2Fa", headers={"dnt": "1"}), ["UpdateItem"] * 2),
        (http_event("GET", "/pages/%2Fa"), ["GetItem"]),
        (http_event("GET", "/pages", query="top=10"), ["Query"]),
        (http_event("POST", user_agent="Googlebot/2.1"), ["GetItem"]),
        (http_event("POST", "/pages/%2Fa", user_agent="Googlebot/2.1"), ["GetItem"]),
        (http_event("POST", "/pages/%2Fnot%2Fa%2Fpage"), []),
        (http_event("POST", origin="https://evil.example"), ["GetItem"]),
        (http_event("POST", "/pages/%2Fa", origin=None), ["GetItem"]),
        (http_event("OPTIONS", "/pages/%2Fa"), []),
        (http_event("DELETE", "/pages/%2Fa"), []),
        (http_event("POST", "/pages/%2Fa%00"), []),
        (http_event("POST", "/nowhere"), []),
    ],
)
def test_other_requests_take_two_round_trips_at_most(
    api: Router, calls: list[str], event: dict[str, Any], expected: list[str]
) -> None:
    """Once the container knows the day's salt and the known pages."""
    api.handle(http_event("POST", "/pages/%2Fwarm-up"))
    calls.clear()

    api.handle(event)

    assert calls == expected
