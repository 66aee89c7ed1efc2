"""The daily ceiling: past the site's max_views_per_day, nothing is counted until midnight.

What abuse can cost is bounded by it: a request past the ceiling makes no DynamoDB call.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.tables import all_items
from visitor_counter.router import CEILING_REACHED, Router
from visitor_counter.settings import Settings
from visitor_counter.store import new_dynamodb_client
from visitor_counter.telemetry import RequestLog
from visitor_counter.visitors import CEILING_LOOK_S
from visitor_counter.wiring import build_router

CEILING = 3
DAY = 86_400


@pytest.fixture
def capped(
    settings: Settings, handler_client: Any, dynamodb: Any, clock: Clock, log_stream: io.StringIO
) -> Router:
    return container(settings, handler_client, clock, log_stream)


def container(settings: Settings, client: Any, clock: Clock, log: io.StringIO) -> Router:
    """A router as one Lambda container builds it, with a ceiling of CEILING views a day."""
    return build_router(
        replace(settings, max_views_per_day=CEILING),
        client,
        requests=RequestLog("blog", "DEBUG", log),
        clock=clock,
    )


def view(api: Router, address: str, page: str = "%2F") -> dict[str, Any]:
    return api.handle(http_event("POST", f"/pages/{page}", source_ip=address))


def reach_the_ceiling(api: Router) -> None:
    for n in range(CEILING):
        assert view(api, f"192.0.2.{n + 1}")["statusCode"] == 200


def test_past_the_ceiling_nothing_is_counted_and_dynamodb_is_not_called(
    capped: Router, dynamodb: Any, handler_client: Any, clock: Clock, log_stream: io.StringIO
) -> None:
    reach_the_ceiling(capped)
    before = all_items(dynamodb)
    calls: list[str] = []
    handler_client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: calls.append(model.name)
    )

    page = view(capped, "192.0.2.99")
    site = capped.handle(http_event("POST", "/", source_ip="192.0.2.99"))

    midnight = (clock.now_s // DAY + 1) * DAY
    for response in (page, site):
        assert response["statusCode"] == 503
        assert json.loads(response["body"]) == {"error": CEILING_REACHED}
        assert int(response["headers"]["Retry-After"]) == int(midnight - clock.now_s) + 1
    assert calls == []
    assert all_items(dynamodb) == before
    assert log_stream.getvalue().count('"outcome":"ceiling"') == 2


def test_reads_still_answer_past_the_ceiling(capped: Router) -> None:
    reach_the_ceiling(capped)

    response = capped.handle(http_event("GET", "/pages/%2F"))

    assert response["statusCode"] == 200
    assert json.loads(response["body"])["views"] == CEILING


def test_counting_starts_again_at_midnight_with_the_counts_before_it_kept(
    capped: Router, clock: Clock
) -> None:
    reach_the_ceiling(capped)
    assert view(capped, "192.0.2.99")["statusCode"] == 503

    clock.now_s = (clock.now_s // DAY + 1) * DAY
    response = view(capped, "192.0.2.99")

    assert response["statusCode"] == 200
    assert json.loads(response["body"])["views"] == CEILING + 1


def test_a_container_started_after_the_ceiling_counts_nothing_either(
    capped: Router, settings: Settings, clock: Clock, log_stream: io.StringIO
) -> None:
    """A new container looks at the site's day before its first count."""
    reach_the_ceiling(capped)
    other = container(settings, new_dynamodb_client(settings), clock, log_stream)

    assert view(other, "192.0.2.50")["statusCode"] == 503
    assert other.handle(http_event("POST", "/", source_ip="192.0.2.50"))["statusCode"] == 503


def test_a_container_that_only_counts_the_site_total_closes_within_a_minute(
    capped: Router, settings: Settings, clock: Clock, log_stream: io.StringIO
) -> None:
    other = container(settings, new_dynamodb_client(settings), clock, log_stream)
    assert other.handle(http_event("POST", "/"))["statusCode"] == 200  # open: it looked
    reach_the_ceiling(capped)  # another container's views reach it

    clock.now_s += CEILING_LOOK_S

    assert other.handle(http_event("POST", "/"))["statusCode"] == 503
