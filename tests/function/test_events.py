"""Events: a click the owner named, counted for a page by the page's route and rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import BROWSER, http_event
from tests.support.stats import OWNER
from tests.support.tables import TEST_PATTERNS, all_items, write_known_pages
from visitor_counter import event_input, schema
from visitor_counter import events as events_module
from visitor_counter.router import BAD_VIEW_BODY, Router
from visitor_counter.settings import Settings, SettingsError

TODAY = "2026-11-25"  # the test clock's day
RANGE = f"from={TODAY}&to={TODAY}"


def event(api: Router, name: Any, page: str = "%2F", **kwargs: Any) -> dict[str, Any]:
    return api.handle(
        http_event("POST", f"/pages/{page}", body=json.dumps({"event": name}), **kwargs)
    )


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def stats(api: Router, route: str, query: str = RANGE) -> Any:
    response = api.handle(http_event("GET", f"/stats/{route}", query=query, headers=OWNER))
    assert response["statusCode"] == 200, response
    return body(response) if route != "export.csv" else response["body"]


def test_an_event_counts_for_its_page_with_its_unique_visitors(api: Router) -> None:
    first = event(api, "cv-download", source_ip="192.0.2.1")
    event(api, "cv-download", source_ip="192.0.2.1")  # the same visitor again
    event(api, "cv-download", page="%2Fposts%2Fhello", source_ip="192.0.2.2")
    event(api, "cv-download", page="%2Fposts%2Fhello", source_ip="192.0.2.1")  # new there
    event(api, "contact", source_ip="192.0.2.1")

    assert first["statusCode"] == 200
    assert body(first) == {"event": "cv-download", "page": "/", "counted": True}
    assert stats(api, "events")["events"] == [
        {"event": "cv-download", "count": 4, "visitors": 2},
        {"event": "contact", "count": 1, "visitors": 1},
    ]
    # On each page, its own count and uniques: a visitor's first of the event there today.
    assert stats(api, "events", f"{RANGE}&page=%2F")["events"] == [
        {"event": "cv-download", "count": 2, "visitors": 1},
        {"event": "contact", "count": 1, "visitors": 1},
    ]
    assert stats(api, "events", f"{RANGE}&page=%2Fposts%2Fhello")["events"] == [
        {"event": "cv-download", "count": 2, "visitors": 2},
    ]
    # An event is no view: the page has none.
    assert api.handle(http_event("GET", "/pages/%2F"))["statusCode"] == 404


def test_an_event_before_any_view_leaves_the_view_the_sites_new_visitor(api: Router) -> None:
    event(api, "contact", source_ip="192.0.2.1")
    view = api.handle(http_event("POST", "/pages/%2F", source_ip="192.0.2.1"))

    assert body(view) == {"page": "/", "views": 1, "visitors": 1}
    assert stats(api, "daily")["days"] == [{"date": TODAY, "views": 1, "visitors": 1}]


def test_a_clients_events_on_pages_share_its_days_cap_which_bounds_its_item(
    api: Router, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each (event, listed page) it sends is a tag in its item: the cap counts them all."""
    monkeypatch.setattr(schema, "MAX_EVENTS_PER_CLIENT_DAY", 3)
    write_known_pages(dynamodb, ("/", "/posts/hello", "/about"), TEST_PATTERNS)
    on = [
        body(event(api, "contact", page=page))["counted"]
        for page in ("%2F", "%2Fposts%2Fhello", "%2Fabout", "%2F", "%2Funlisted")
    ]
    (client,) = [i for i in all_items(dynamodb) if i["ID"]["S"].startswith("blog#client#")]

    # "contact" and its pair on /, its pair on /posts/hello; a third page is past the cap,
    # a pair it has is not, nor a page without uniques by page (one only a glob admits).
    assert on == [True, True, False, True, True]
    assert len(client[schema.CLIENT_EVENTS_ATTRIBUTE]["SS"]) == 3
    assert stats(api, "events", f"{RANGE}&page=%2F")["events"] == [
        {"event": "contact", "count": 2, "visitors": 1}
    ]


def test_an_opted_out_visitor_counts_but_is_no_unique(api: Router) -> None:
    event(api, "contact", headers={"Sec-GPC": "1"})

    assert stats(api, "events")["events"] == [{"event": "contact", "count": 1, "visitors": 0}]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("CV-Download", event_input.INVALID_NAME),
        ("<b>cv</b>", event_input.INVALID_NAME),
        ("a" * 41, event_input.INVALID_NAME),
        ("cv#1", event_input.INVALID_NAME),
        ("", event_input.INVALID_NAME),
        ("-cv", event_input.INVALID_NAME),
        (42, BAD_VIEW_BODY),
        (["cv"], BAD_VIEW_BODY),
    ],
)
def test_a_bad_name_is_400_and_stores_nothing(
    api: Router, dynamodb: Any, name: Any, message: str
) -> None:
    before = all_items(dynamodb)

    response = event(api, name)

    assert response["statusCode"] == 400
    assert body(response) == {"error": message}
    assert all_items(dynamodb) == before


def test_a_body_with_an_event_and_a_referrer_counts_the_event_only(api: Router) -> None:
    response = api.handle(
        http_event(
            "POST",
            "/pages/%2F",
            body=json.dumps({"event": "contact", "referrer": "https://news.ycombinator.com"}),
        )
    )

    assert body(response) == {"event": "contact", "page": "/", "counted": True}
    assert api.handle(http_event("GET", "/pages/%2F"))["statusCode"] == 404


def test_a_site_that_names_its_events_refuses_others(
    api_with: Callable[..., Router], dynamodb: Any
) -> None:
    api = api_with(event_names=("cv-download", "contact-*"))
    assert body(event(api, "contact-email"))["counted"] is True
    before = all_items(dynamodb)

    refused = event(api, "signup")

    assert refused["statusCode"] == 400
    assert body(refused) == {
        "error": "Unknown event 'signup': this site counts only the events it names."
    }
    assert all_items(dynamodb) == before


def test_past_the_days_names_a_new_one_is_refused_and_known_ones_count(
    api_with: Callable[..., Router],
    dynamodb: Any,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only names a prefix admits (anyone may make them up) are capped: the site's own
    names always count, so a flood of made-up ones cannot stop them."""
    monkeypatch.setattr(events_module, "MAX_EVENT_NAMES_PER_DAY", 2)
    api = api_with(event_names=("cv-download", "x-*"))
    event(api, "x-one")
    event(api, "x-two")
    before = all_items(dynamodb)

    refused = event(api, "x-three")
    after_refusal = all_items(dynamodb)
    again = event(api, "x-two")
    own = event(api, "cv-download")
    clock.now_s += 86_400
    tomorrow = [event(api, name)["statusCode"] for name in ("x-two", "x-three", "x-four")]

    assert refused["statusCode"] == 400
    assert body(refused) == {"error": events_module.TOO_MANY_NAMES}
    assert after_refusal == before
    assert body(again)["counted"] is True
    assert body(own)["counted"] is True  # a name of the site's own, past the cap
    # Yesterday's names this container knew count for nothing today: "x-two" and "x-three"
    # take today's two places, "x-four" finds none.
    assert tomorrow == [200, 200, 400]


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"User-Agent": "Googlebot/2.1"}],
    ids=["foreign origin", "bot"],
)
def test_an_event_the_rules_do_not_count_stores_nothing(
    api: Router, dynamodb: Any, headers: dict[str, str]
) -> None:
    before = all_items(dynamodb)

    origin = headers.pop("Origin", None)
    kwargs: dict[str, Any] = {"headers": headers or {"User-Agent": BROWSER}}
    if origin:
        kwargs["origin"] = origin
    response = event(api, "contact", **kwargs)

    assert response["statusCode"] == 200
    assert body(response)["counted"] is False
    assert all_items(dynamodb) == before


def test_a_client_over_its_hourly_limit_of_an_event_counts_no_more(
    api_with: Callable[..., Router],
) -> None:
    api = api_with(max_views_per_client_hour=1)
    answers = [body(event(api, "contact"))["counted"] for _ in range(2)]
    other = body(event(api, "cv-download"))["counted"]

    assert answers == [True, False]
    assert other is True
    assert [e["count"] for e in stats(api, "events")["events"]] == [1, 1]


def test_an_events_pages_past_the_days_most_count_as_other(
    api: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events_module, "MAX_EVENT_PAGES_PER_DAY", 1)
    event(api, "contact", page="%2F", source_ip="192.0.2.1")
    event(api, "contact", page="%2Fposts%2Fhello", source_ip="192.0.2.2")

    assert stats(api, "events")["events"] == [{"event": "contact", "count": 2, "visitors": 2}]
    on_hello = stats(api, "events", f"{RANGE}&page=%2Fposts%2Fhello")["events"]
    assert on_hello == []  # its count is in "other"


def test_an_event_on_a_page_only_a_glob_admits_counts_as_other(api: Router) -> None:
    """Anyone may make up such a page's id: it never names an entry of the event's day."""
    event(api, "contact", page="%2Fmade-up-" + "x" * 200)

    assert stats(api, "events")["events"] == [{"event": "contact", "count": 1, "visitors": 1}]
    made_up = stats(api, "events", f"{RANGE}&page=%2Fmade-up-{'x' * 200}")["events"]
    assert made_up == []


def test_events_count_toward_the_daily_ceiling(
    api_with: Callable[..., Router], clock: Clock
) -> None:
    api = api_with(max_views_per_day=2)
    answers = [event(api, "contact", source_ip=f"192.0.2.{n}")["statusCode"] for n in range(3)]
    clock.now_s += 61  # the next look at the day's estimate

    assert answers[:2] == [200, 200]
    assert event(api, "contact", source_ip="192.0.2.9")["statusCode"] == 503
    assert api.handle(http_event("POST", "/pages/%2F"))["statusCode"] == 503


def test_the_csv_has_each_days_events_after_its_pages(api: Router) -> None:
    api.handle(http_event("POST", "/pages/%2F"))
    event(api, "cv-download")

    assert stats(api, "export.csv") == (
        f"date,page,views,visitors\r\n{TODAY},/,1,1\r\n{TODAY},event:cv-download,1,1\r\n"
    )


def test_split_an_events_days_are_summed_over_its_shards(
    api_with: Callable[..., Router],
) -> None:
    api = api_with(write_shards=3)
    for n in range(4):
        event(api, "contact", source_ip=f"192.0.2.{n}")

    assert stats(api, "events")["events"] == [{"event": "contact", "count": 4, "visitors": 4}]


@pytest.mark.parametrize("value", ["", "CV", "cv,<b>", "a*b"])
def test_the_event_names_setting_refuses_what_no_name_matches(value: str) -> None:
    with pytest.raises(SettingsError, match="EVENT_NAMES must list event names"):
        Settings.from_env({"EVENT_NAMES": value})


def test_events_use_none_of_a_clients_pages_of_the_day(
    api: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client's day keeps its pages and its events apart, each with its own cap."""
    monkeypatch.setattr(schema, "MAX_PAGES_PER_CLIENT_DAY", 1)
    monkeypatch.setattr(schema, "MAX_EVENTS_PER_CLIENT_DAY", 4)  # two events on a listed page
    events_counted = [body(event(api, name))["counted"] for name in ("a", "b", "c")]
    view = api.handle(http_event("POST", "/pages/%2F"))

    assert events_counted == [True, True, False]  # the third is past the client's events
    assert body(view) == {"page": "/", "views": 1, "visitors": 1}
