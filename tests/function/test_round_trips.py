"""DynamoDB round trips per request, counted on the handler's own client."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from resume_tools.bench.cost import UPDATES_PER_VIEW
from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.stats import OWNER
from visitor_counter import events as events_module
from visitor_counter import schema
from visitor_counter.router import Router
from visitor_counter.schema import TOP_PAGES_FOR_S
from visitor_counter.settings import Settings
from visitor_counter.visitors import CEILING_LOOK_S

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
    calls.clear()

    api.handle(http_event("POST"))

    assert calls == ["UpdateItem"]


def test_a_containers_counting_looks_at_the_daily_ceiling_once_a_minute(
    api: Router, calls: list[str], clock: Clock
) -> None:
    api.handle(http_event("POST"))
    api.handle(http_event("POST"))
    clock.now_s += CEILING_LOOK_S
    api.handle(http_event("POST"))

    # The site's day views (half a read unit), on the first counting request and a minute on.
    assert calls == [CEILING_LOOK, "UpdateItem", "UpdateItem", CEILING_LOOK, "UpdateItem"]


# A counted page view, once the container knows the day's salt and the known pages, of a
# page already viewed today: the client's item (limits, visitor flags), the page's live day.
PAGE_VIEW = ["UpdateItem"] * 2
# A page's first view of a day: its live day refuses the view (it is on a past day), then
# one transaction moves the past day to the history and starts the new one.
NEW_PAGE_DAY = ["UpdateItem", "UpdateItem", "TransactWriteItems"]
# A page's first view ever, of a page only a glob admits ("/a" in the test site): refused by
# the page's missing day, the day counted in the site's day (the cap), then the page made.
NEW_UNLISTED_PAGE = ["UpdateItem"] * 4
# An open container's look at the site's day views (the daily ceiling), once a minute.
CEILING_LOOK = "GetItem"


def test_a_page_view_is_two_round_trips_once_the_salt_and_the_pages_day_are_known(
    api: Router, calls: list[str]
) -> None:
    for page in ("%2Fa", "%2Fb", "%2Fc"):
        api.handle(http_event("POST", f"/pages/{page}", source_ip="192.0.2.99"))
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fb"))  # new visitor of /b
    api.handle(http_event("POST", "/pages/%2Fb"))  # repeat visit
    api.handle(http_event("POST", "/pages/%2Fc", headers={"referer": "https://t.co/x"}))

    assert calls == PAGE_VIEW * 3
    # What the cost model bills a view for (resume_tools.bench.cost).
    assert PAGE_VIEW.count("UpdateItem") == UPDATES_PER_VIEW


def test_a_pages_first_view_of_a_day_moves_its_past_day_in_one_transaction(
    api: Router, calls: list[str], clock: Clock
) -> None:
    api.handle(http_event("POST", "/pages/%2F"))  # "/" is listed: no cap to count it in
    clock.now_s += DAY
    api.handle(http_event("POST", "/pages/%2F"))  # the new day's salt
    calls.clear()
    clock.now_s += DAY

    api.handle(http_event("POST", "/pages/%2F"))

    # The known pages and the salt are a new day's too.
    assert calls == ["GetItem", CEILING_LOOK, "GetItem", "PutItem", "BatchWriteItem", *NEW_PAGE_DAY]


def test_a_view_naming_a_host_the_day_lacks_not_the_clients_own_costs_one_more(
    api: Router, calls: list[str]
) -> None:
    api.handle(http_event("POST", "/pages/%2Fb", source_ip="192.0.2.99"))
    api.handle(http_event("POST", "/pages/%2Fa", headers={"referer": "https://t.co/x"}))
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fb", headers={"referer": "https://made-up.io/"}))

    # Refused as a host the client may not bring (t.co is its own), then counted as "other".
    assert calls == ["UpdateItem"] * 3


def test_an_unlisted_page_new_past_the_days_cap_costs_one_round_trip_more_once(
    api: Router, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 1)
    api.handle(http_event("POST", "/pages/%2Fa"))  # the test site's glob "/*" admits /a, /b
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fb"))
    api.handle(http_event("POST", "/pages/%2Fb"))

    # /b's new day is out of the range-wide lists (the site's day says it is the day's
    # second unlisted page): the site's day counts its views, one update more each.
    assert calls == [*NEW_UNLISTED_PAGE, "UpdateItem", *PAGE_VIEW, "UpdateItem"]


def test_an_event_is_two_round_trips_once_its_container_knows_its_name(
    api: Router, calls: list[str]
) -> None:
    """The client's item and the event's day, as a view; a made-up name's first of the day
    in a container reads the day's names and adds it (any name is one here: "*")."""
    api.handle(http_event("POST", "/pages/%2Fa", source_ip="192.0.2.99"))
    calls.clear()
    contact = json.dumps({"event": "contact"})

    api.handle(http_event("POST", "/pages/%2Fa", body=contact, source_ip="192.0.2.99"))
    first = list(calls)
    calls.clear()
    api.handle(http_event("POST", "/pages/%2Fa", body=contact, source_ip="192.0.2.98"))

    assert first == ["GetItem", "UpdateItem", "UpdateItem", "UpdateItem"]
    assert calls == ["UpdateItem"] * 2


def test_a_name_the_site_lists_is_written_nowhere_but_its_day(
    api_with: Callable[..., Router], calls: list[str]
) -> None:
    api = api_with(event_names=("contact",))
    api.handle(http_event("POST", "/pages/%2Fa", source_ip="192.0.2.99"))
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fa", body=json.dumps({"event": "contact"})))

    assert calls == ["UpdateItem"] * 2


def test_once_the_days_made_up_names_are_full_a_container_refuses_new_ones_with_no_call(
    api: Router, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events_module, "MAX_EVENT_NAMES_PER_DAY", 1)
    for name in ("one", "two"):  # "two" is refused: the set, as it returned it, is kept
        api.handle(http_event("POST", "/pages/%2Fa", body=json.dumps({"event": name})))
    calls.clear()

    refused = [
        api.handle(http_event("POST", "/pages/%2Fa", body=json.dumps({"event": name})))
        for name in ("three", "four")
    ]

    assert [response["statusCode"] for response in refused] == [400, 400]
    assert calls == []


def test_once_the_days_unlisted_pages_are_full_a_container_asks_no_more(
    api: Router, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flood of made-up pages writes the day's list once a container, not once a view:
    its refusal hands the list back, and the list no longer changes that day."""
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 1)
    api.handle(http_event("POST", "/pages/%2Fa"))
    api.handle(http_event("POST", "/pages/%2Fb"))  # refused by the full list, which it keeps
    calls.clear()

    for page in ("%2Fc", "%2Fd"):
        api.handle(http_event("POST", f"/pages/{page}"))

    # Each new page: the client, the page's missing day, the page made, its overflow view.
    assert calls == ["UpdateItem"] * 8


def test_a_referrer_host_past_the_days_cap_costs_one_round_trip_more(
    api: Router, calls: list[str]
) -> None:
    for number in range(schema.MAX_REFERRER_HOSTS):
        referer = {"referer": f"https://h{number}.io"}
        api.handle(
            http_event("POST", "/pages/%2Fa", headers=referer, source_ip=f"192.0.2.{number}")
        )
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fa", headers={"referer": "https://late.io/"}))

    # /a's day refuses the 51st host, then counts it as "other".
    assert calls == ["UpdateItem"] * 3


def test_a_view_over_the_clients_limit_is_two_round_trips(
    api_with: Callable[..., Router], calls: list[str]
) -> None:
    api = api_with(max_views_per_client_hour=1)
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
        CEILING_LOOK,  # the site's day views, once a minute per container
        "GetItem",  # today's salt: none yet
        "PutItem",
        "BatchWriteItem",
        *NEW_UNLISTED_PAGE,
    ]


def test_the_known_pages_are_read_again_after_their_refresh_time(
    api: Router, calls: list[str], clock: Clock, settings: Settings
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))
    clock.now_s += settings.known_pages_refresh_s
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fa"))

    assert calls == ["GetItem", CEILING_LOOK, *PAGE_VIEW]


def test_the_top_list_is_read_by_key_once_a_minute_or_after_a_view(
    api: Router, calls: list[str], clock: Clock
) -> None:
    """The known pages say which pages the site lists; one BatchGetItem reads 100 of them."""
    top = http_event("GET", "/pages", query="top=10")
    api.handle(top)
    api.handle(top)  # within the minute: from the container's list
    first = list(calls)
    clock.now_s += TOP_PAGES_FOR_S
    api.handle(top)
    api.handle(http_event("POST", "/pages/%2Fa"))
    calls.clear()
    api.handle(top)

    assert first == ["GetItem", "BatchGetItem"]  # the known pages, then the listed pages
    assert calls == ["BatchGetItem"]


def test_a_container_reads_an_existing_salt_once_a_day(
    api: Router, calls: list[str], clock: Clock
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))
    clock.now_s += DAY
    api.handle(http_event("POST", "/pages/%2Fa"))
    calls.clear()

    api.handle(http_event("POST", "/pages/%2Fa", source_ip="192.0.2.44"))

    assert calls == PAGE_VIEW


# The live days' keys and the live days, then the site's own days.
SITE_DAYS = ["Query", "BatchGetItem", "Query"]
# The live days, the pages' past days, the site's own days.
RANGE_DAYS = ["Query", "BatchGetItem", "Query", "Query"]


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (http_event("POST", "/pages/%2Fa", headers={"dnt": "1"}), PAGE_VIEW),
        (http_event("GET", "/pages/%2Fa"), ["GetItem"]),
        (http_event("GET", "/pages", query="top=10"), ["BatchGetItem"]),
        (http_event("POST", user_agent="Googlebot/2.1"), ["GetItem"]),
        (http_event("POST", "/pages/%2Fa", user_agent="Googlebot/2.1"), ["GetItem"]),
        (http_event("POST", "/pages/%2Fnot%2Fa%2Fpage"), []),
        (http_event("POST", origin="https://evil.example"), ["GetItem"]),
        (http_event("POST", "/pages/%2Fa", origin=None), ["GetItem"]),
        (http_event("OPTIONS", "/pages/%2Fa"), []),
        (http_event("DELETE", "/pages/%2Fa"), []),
        (http_event("POST", "/pages/%2Fa%00"), []),
        (http_event("POST", "/nowhere"), []),
        (http_event("POST", "/pages/%2Fa", body="{not json"), []),
        # Stats: the token's hash, then the days (a Query per MB of items). A page's: its
        # past days, its live day. The site's: its own days and its pages' live days.
        # The daily answer has the range's events too: their names (a Query), then a Query
        # per name and shard (none here).
        (http_event("GET", "/stats/daily", headers=OWNER), ["GetItem", *SITE_DAYS, "Query"]),
        (
            http_event("GET", "/stats/daily", query="page=%2Fa", headers=OWNER),
            ["GetItem", "Query", "GetItem", "Query"],
        ),
        (http_event("GET", "/stats/pages", headers=OWNER), ["GetItem", *RANGE_DAYS]),
        (http_event("GET", "/stats/referrers", headers=OWNER), ["GetItem", *SITE_DAYS]),
        # The CSV: the range's days, then its event names (a Query per MB of them).
        (
            http_event("GET", "/stats/export.csv", headers=OWNER),
            ["GetItem", *RANGE_DAYS, "Query"],
        ),
        (http_event("GET", "/stats/events", headers=OWNER), ["GetItem", "Query"]),
        (http_event("GET", "/stats/daily"), ["GetItem"]),
        (http_event("GET", "/stats/daily", query="from=x", headers=OWNER), ["GetItem"]),
    ],
)
def test_other_requests_take_five_round_trips_at_most(
    api: Router, calls: list[str], event: dict[str, Any], expected: list[str]
) -> None:
    """Once the container knows the day's salt and the known pages, and /a has its day."""
    api.handle(http_event("POST", "/pages/%2Fa", source_ip="192.0.2.99"))
    calls.clear()

    api.handle(event)

    assert calls == expected
