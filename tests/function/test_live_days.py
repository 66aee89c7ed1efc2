"""A page's live day: one write a view, its past day moved whole to the history, exactly once.

Every count here is read back both ways: the items stored, and the stats and page answers.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.stats import OWNER
from tests.support.tables import TEST_HISTORY_TABLE_NAME, TEST_TABLE_NAME
from visitor_counter import schema, visitors
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.telemetry import RequestLog
from visitor_counter.visitors import utc_day
from visitor_counter.wiring import build_router

DAY = 86_400


def view(api: Router, page: str = "%2Fposts%2Fhello", address: str = "192.0.2.1", **kw: Any) -> int:
    response = api.handle(http_event("POST", f"/pages/{page}", source_ip=address, **kw))
    assert response["statusCode"] == 200, response
    return int(json.loads(response["body"])["views"])


def daily(api: Router, first: str, last: str, page: str | None = None) -> list[tuple[int, int]]:
    query = f"from={first}&to={last}" + (f"&page={page}" if page else "")
    response = api.handle(http_event("GET", "/stats/daily", query=query, headers=OWNER))
    assert response["statusCode"] == 200, response
    return [(day["views"], day["visitors"]) for day in json.loads(response["body"])["days"]]


def referrers(api: Router, first: str, last: str) -> dict[str, int]:
    query = f"from={first}&to={last}"
    response = api.handle(http_event("GET", "/stats/referrers", query=query, headers=OWNER))
    return {row["source"]: row["views"] for row in json.loads(response["body"])["referrers"]}


def page_item(dynamodb: Any, page: str = "/posts/hello") -> dict[str, Any]:
    item: dict[str, Any] = dynamodb.get_item(
        TableName=TEST_TABLE_NAME, Key={"ID": {"S": schema.page_key("blog", page)}}
    )["Item"]
    return item


def history_day(dynamodb: Any, day: str, page: str = "/posts/hello") -> dict[str, Any] | None:
    item: dict[str, Any] | None = dynamodb.get_item(
        TableName=TEST_HISTORY_TABLE_NAME,
        Key={"ID": {"S": schema.page_history_key("blog", page)}, "day": {"S": day}},
    ).get("Item")
    return item


def container(settings: Settings, client: Any, clock: Clock) -> Router:
    """Another Lambda container: its own salt cache, clock and DynamoDB client."""
    return build_router(
        settings, client, requests=RequestLog("blog", "ERROR", io.StringIO()), clock=clock
    )


def test_a_pages_past_day_moves_to_the_history_whole_and_the_stats_read_both(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    first = utc_day(clock.now_s)[0]
    view(api, headers={"referer": "https://news.example/x"})
    view(api, address="192.0.2.2")
    view(api)  # the first visitor again
    clock.now_s += DAY
    second = utc_day(clock.now_s)[0]

    total = view(api)

    assert total == 4
    past = history_day(dynamodb, first)
    assert past is not None
    assert {name: past[name] for name in ("views", "visitors", "entries", "site", "page")} == {
        "views": {"N": "3"},
        "visitors": {"N": "2"},
        "entries": {"N": "2"},
        "site": {"S": "blog"},
        "page": {"S": "/posts/hello"},
    }
    assert past["r:news.example"] == {"N": "1"}
    assert past["r:direct"] == {"N": "2"}
    live = page_item(dynamodb)
    assert live[schema.DAY_ATTRIBUTE] == {"S": second}
    assert live[schema.DAY_VIEWS_ATTRIBUTE] == {"N": "1"}
    assert "r:news.example" not in live  # the past day's referrers went with it
    assert daily(api, first, second, page="%2Fposts%2Fhello") == [(3, 2), (1, 1)]
    assert daily(api, first, second) == [(3, 2), (1, 1)]
    assert referrers(api, first, second) == {"direct": 3, "news.example": 1}


def test_a_days_views_stay_in_the_live_day_until_the_pages_next_view(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    """A page with no view since keeps its day live: the stats find it there."""
    first = utc_day(clock.now_s)[0]
    view(api)
    clock.now_s += 3 * DAY
    view(api, "%2F")

    assert history_day(dynamodb, first) is None
    assert daily(api, first, utc_day(clock.now_s)[0]) == [(1, 1), (0, 0), (0, 0), (1, 1)]


def test_a_view_whose_day_the_page_has_left_counts_in_the_pages_day(
    api: Router, settings: Settings, dynamodb: Any, clock: Clock
) -> None:
    """A request started before midnight and written after the page's first view of the next
    day is counted once, in the day the page is on."""
    late = Clock(clock.now_s)
    behind = container(settings, dynamodb, late)
    first = utc_day(clock.now_s)[0]
    view(behind)  # its salt and its day: the first day
    clock.now_s += DAY
    view(api, address="192.0.2.2")  # the page moves to the second day

    total = view(behind, address="192.0.2.3")  # still on the first day's clock

    assert total == 3
    past = history_day(dynamodb, first)
    assert past is not None
    assert past["views"] == {"N": "1"}
    assert page_item(dynamodb)[schema.DAY_VIEWS_ATTRIBUTE] == {"N": "2"}


def test_two_views_racing_for_a_pages_new_day_move_the_past_day_once(
    api: Router, settings: Settings, dynamodb: Any, handler_client: Any, clock: Clock
) -> None:
    first = utc_day(clock.now_s)[0]
    view(api)
    clock.now_s += DAY
    other = container(settings, dynamodb, clock)
    view(other, "%2F")  # the other container's salt for the new day
    raced: list[int] = []

    def the_other_moves_first(**_: Any) -> None:
        if not raced:  # once: the other container's own move must not race again
            raced.append(view(other, address="192.0.2.2"))

    handler_client.meta.events.register(
        "before-call.dynamodb.TransactWriteItems", the_other_moves_first
    )

    total = view(api, address="192.0.2.3")

    # The other view moved the day; this one's transaction found the day moved, and its
    # view was added to the new day instead: both counted, the past day moved once.
    assert raced == [2]
    assert total == 3
    past = history_day(dynamodb, first)
    assert past is not None
    assert past["views"] == {"N": "1"}
    assert page_item(dynamodb)[schema.DAY_VIEWS_ATTRIBUTE] == {"N": "2"}


def test_a_page_counted_before_the_live_days_keeps_every_count(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    """Items as the function wrote them when each view wrote the page, its day and the
    site's day: the views after the upgrade add to them, nothing counted twice."""
    today = utc_day(clock.now_s)[0]
    dynamodb.put_item(
        TableName=TEST_TABLE_NAME,
        Item={
            "ID": {"S": schema.page_key("blog", "/posts/hello")},
            "views": {"N": "10"},
            "visitors": {"N": "7"},
            "page": {"S": "/posts/hello"},
        },
    )
    # The site's day had more than this page: other pages, one past the day's cap.
    for key, counts in (
        (schema.page_history_key("blog", "/posts/hello"), {"site": {"S": "blog"}}),
        (
            schema.site_history_key("blog"),
            {"views": {"N": "5"}, "visitors": {"N": "4"}, "r:other": {"N": "2"}},
        ),
    ):
        dynamodb.put_item(
            TableName=TEST_HISTORY_TABLE_NAME,
            Item={
                "ID": {"S": key},
                "day": {"S": today},
                "views": {"N": "2"},
                "visitors": {"N": "2"},
                "r:direct": {"N": "2"},
                **counts,
            },
        )

    total = view(api)  # a new visitor, direct
    live_referrers = referrers(api, today, today)
    clock.now_s += DAY
    view(api, address="192.0.2.2")  # moves the upgrade day's live part to the history

    assert total == 11
    assert live_referrers == {"direct": 3, "other": 2}
    past = history_day(dynamodb, today)
    assert past is not None
    assert (past["views"], past["visitors"]) == ({"N": "3"}, {"N": "3"})
    assert daily(api, today, today) == [(6, 5)]
    assert daily(api, today, today, page="%2Fposts%2Fhello") == [(3, 3)]
    assert referrers(api, today, today) == {"direct": 3, "other": 2}


def test_views_of_pages_past_the_days_cap_count_in_the_sites_day_with_their_visitors(
    api: Router, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 0)
    today = utc_day(clock.now_s)[0]

    view(api, "%2Fmade-up", headers={"referer": "https://news.example/x"})
    view(api, "%2Fmade-up", address="192.0.2.2")
    view(api, "%2Fmade-up")
    clock.now_s += DAY
    view(api, "%2Fmade-up")  # its day moves: the site's day has it already

    # Two visitors, three views; a made-up page's day brings the site no host.
    assert daily(api, today, today) == [(3, 2)]
    assert referrers(api, today, today) == {"direct": 2, "other": 1}
    assert daily(api, today, today, page="%2Fmade-up") == [(3, 2)]


def test_the_ceilings_estimate_adds_each_containers_views_a_weight_at_a_time(
    settings: Settings, dynamodb: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(visitors, "CEILING_SAMPLES", 2)
    capped = replace(settings, max_views_per_day=4)  # a weight of 2 views
    one, two = (container(capped, dynamodb, clock) for _ in range(2))
    day = utc_day(clock.now_s)[0]

    def estimate() -> int:
        item = dynamodb.get_item(
            TableName=TEST_HISTORY_TABLE_NAME,
            Key={"ID": {"S": schema.site_history_key("blog")}, "day": {"S": day}},
        ).get("Item", {})
        return int(item.get(schema.ESTIMATE_ATTRIBUTE, {"N": "0"})["N"])

    view(one, "%2F", "192.0.2.1")
    view(two, "%2F", "192.0.2.2")
    lagging = estimate()  # each container holds one view back
    view(one, "%2F", "192.0.2.3")
    view(two, "%2F", "192.0.2.4")  # the ceiling: this container closes at once

    closed = two.handle(http_event("POST", "/pages/%2F", source_ip="192.0.2.5"))

    assert lagging == 0
    assert estimate() == 4
    assert closed["statusCode"] == 503
