"""The owner's history over the API: daily views, top pages, referrers, the CSV export."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import SITE_ORIGIN, http_event
from tests.support.stats import OWNER, store_token
from tests.support.tables import TEST_TABLE_NAME, all_items
from visitor_counter import schema
from visitor_counter import stats as stats_module
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.telemetry import RequestLog
from visitor_counter.wiring import build_router

TODAY = "2026-11-25"  # the test clock's day
YESTERDAY = "2026-11-24"
HN = {"referer": "https://news.ycombinator.com/item?id=1"}


def visit(api: Router, page: str = "%2Fa", **kwargs: Any) -> None:
    response = api.handle(http_event("POST", f"/pages/{page}", **kwargs))
    assert response["statusCode"] == 200, response


def stats(api: Router, route: str, query: str = "", **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("headers", OWNER)
    return api.handle(http_event("GET", f"/stats/{route}", query=query, **kwargs))


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def test_daily_has_every_day_of_the_range_zeros_included(api: Router) -> None:
    visit(api)
    visit(api, source_ip="192.0.2.2")
    visit(api, "%2Fb")

    response = stats(api, "daily", f"from={YESTERDAY}&to=2026-11-26")

    assert response["statusCode"] == 200
    assert body(response) == {
        "page": None,
        "from": YESTERDAY,
        "to": "2026-11-26",
        "days": [
            {"date": YESTERDAY, "views": 0, "visitors": 0},
            {"date": TODAY, "views": 3, "visitors": 2},
            {"date": "2026-11-26", "views": 0, "visitors": 0},
        ],
        # The test's browser: Firefox on Linux, a desktop (agents.py).
        "agents": {
            "browsers": [{"name": "firefox", "views": 3}],
            "systems": [{"name": "linux", "views": 3}],
            "devices": [{"name": "desktop", "views": 3}],
            "countries": [{"name": "unknown", "views": 3}],
        },
        "events": [],
    }


def test_daily_of_one_page(api: Router) -> None:
    visit(api)
    visit(api)
    visit(api, "%2Fb")

    days = body(stats(api, "daily", f"from={TODAY}&to={TODAY}&page=%2Fa"))

    assert days["page"] == "/a"
    assert days["days"] == [{"date": TODAY, "views": 2, "visitors": 1}]


def test_the_default_range_is_the_last_30_days(api: Router) -> None:
    days = body(stats(api, "daily"))["days"]

    assert len(days) == 30
    assert (days[0]["date"], days[-1]["date"]) == ("2026-10-27", TODAY)


def test_days_move_with_the_clock(api: Router, clock: Clock) -> None:
    visit(api)
    clock.now_s += 86_400
    visit(api)
    visit(api)

    days = body(stats(api, "daily", f"from={TODAY}&to=2026-11-26"))["days"]

    assert [(day["views"], day["visitors"]) for day in days] == [(1, 1), (2, 1)]


def test_referrers_count_hosts_campaigns_and_direct_views(api: Router) -> None:
    visit(api, headers=HN)
    visit(api, "%2Fb", headers=HN, source_ip="192.0.2.2")
    visit(api, body='{"referrer": "https://t.co"}', source_ip="192.0.2.3")
    visit(
        api, body='{"referrer": "https://t.co", "utm_source": "newsletter"}', source_ip="192.0.2.4"
    )
    visit(api, headers={"referer": f"{SITE_ORIGIN}/posts/hello"})
    visit(api, body='{"referrer": ""}', headers=HN)  # the body wins over the header

    site = body(stats(api, "referrers", f"from={TODAY}&to={TODAY}"))
    page_b = body(stats(api, "referrers", f"from={TODAY}&to={TODAY}&page=%2Fb"))

    assert site["referrers"] == [
        {"source": "direct", "views": 2},
        {"source": "news.ycombinator.com", "views": 2},
        {"source": "newsletter", "views": 1},
        {"source": "t.co", "views": 1},
    ]
    assert page_b["referrers"] == [{"source": "news.ycombinator.com", "views": 1}]


def test_no_url_beyond_the_referrers_host_is_stored(api: Router, dynamodb: Any) -> None:
    visit(api, headers={"referer": "https://mail.example.org/inbox/secret-thread?id=42"})

    stored = json.dumps(all_items(dynamodb), default=repr)

    assert "mail.example.org" in stored
    assert "secret-thread" not in stored
    assert "id=42" not in stored


def test_hosts_past_the_days_cap_count_as_other(api: Router) -> None:
    for number in range(schema.MAX_REFERRER_HOSTS + 3):
        headers = {"referer": f"https://h{number}.example.org/"}
        visit(api, headers=headers, source_ip=f"192.0.2.{number}")
    visit(api, headers={"referer": "https://h0.example.org/"})  # one of the first 50

    sources = {
        row["source"]: row["views"]
        for row in body(stats(api, "referrers", f"from={TODAY}&to={TODAY}"))["referrers"]
    }

    assert len(sources) == schema.MAX_REFERRER_HOSTS + 1
    assert sources["other"] == 3
    assert sources["h0.example.org"] == 2


def sources_of(api: Router, page: str | None = None) -> dict[str, int]:
    query = f"from={TODAY}&to={TODAY}" + (f"&page={page}" if page else "")
    return {
        row["source"]: row["views"] for row in body(stats(api, "referrers", query))["referrers"]
    }


def page_items(dynamodb: Any) -> list[dict[str, Any]]:
    """The pages' items that hold a referrer host in their live day."""
    items = dynamodb.scan(TableName=TEST_TABLE_NAME)["Items"]
    return [
        item
        for item in items
        if "#page#" in item["ID"]["S"] and schema.REFERRER_HOSTS_ATTRIBUTE in item
    ]


def test_one_address_brings_the_day_one_referrer_source_of_its_own(
    api: Router, dynamodb: Any
) -> None:
    # A made-up host on each of ten pages: each its first view of the page.
    for number in range(10):
        visit(api, f"%2Fp{number}", headers={"referer": f"https://made-up-{number}.example/"})

    assert sources_of(api) == {"made-up-0.example": 1, "other": 9}
    assert sources_of(api, "%2Fp1") == {"other": 1}
    # Every view counted; the pages' days (which every later view is billed by) hold one host.
    assert body(stats(api, "daily", f"from={TODAY}&to={TODAY}"))["days"][0]["views"] == 10
    hosts = [item[schema.REFERRER_HOSTS_ATTRIBUTE] for item in page_items(dynamodb)]
    assert hosts == [{"SS": ["made-up-0.example"]}]


def test_a_clients_own_source_may_join_each_day_other_sources_only_days_that_have_them(
    api: Router,
) -> None:
    visit(api, headers=HN)  # its first source: its own
    for number in range(3):
        visit(api, headers={"referer": f"https://made-up-{number}.example/"})
    visit(api, "%2Fb", headers=HN)  # its own source, new to /b's day
    visit(api, "%2Fb", body='{"utm_source": "newsletter"}')  # a campaign is a source too
    visit(api, body='{"referrer": "https://t.co"}', source_ip="192.0.2.2")  # another's own
    visit(api, "%2Fb", headers={"referer": "https://t.co/"})  # only /a's day has t.co

    # The site's day is the sum of its pages' days.
    assert sources_of(api) == {"news.ycombinator.com": 2, "other": 5, "t.co": 1}
    assert sources_of(api, "%2Fb") == {"news.ycombinator.com": 1, "other": 2}


def test_the_clients_item_keeps_its_source_as_a_keyed_tag(api: Router, dynamodb: Any) -> None:
    visit(api, headers={"referer": "https://mail.example.org/"})

    daily = dynamodb.scan(TableName=schema.daily_table_name(TEST_TABLE_NAME))["Items"]
    (client,) = [item for item in daily if "#client#" in item["ID"]["S"]]

    assert "mail.example.org" not in json.dumps(daily, default=repr)
    assert len(client[schema.CLIENT_SOURCE_ATTRIBUTE]["S"]) == 12


TOMORROW = "2026-11-26"


def test_a_range_with_more_page_days_than_are_read_answers_its_newest_days_and_other(
    api: Router, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stats_module, "MAX_PAGE_DAYS", 2)
    visit(api)
    clock.now_s += 86_400
    visit(api, "%2Fb")
    visit(api, "%2Fc")
    visit(api, "%2Fc", source_ip="192.0.2.2")

    pages = stats(api, "pages", f"from={TODAY}&to={TOMORROW}")
    csv_answer = stats(api, "export.csv", f"from={TODAY}&to={TOMORROW}")

    assert pages["statusCode"] == csv_answer["statusCode"] == 200
    assert body(pages)["pages"] == [
        {"page": "/c", "views": 2, "visitors": 2},
        {"page": "/b", "views": 1, "visitors": 1},
    ]
    assert body(pages)["other"] == {"views": 1}  # today's /a, past the page days read
    assert csv_answer["body"] == (
        "date,page,views,visitors\r\n"
        f"{TODAY},other,1,\r\n{TOMORROW},/b,1,1\r\n{TOMORROW},/c,2,2\r\n"
    )


def test_a_day_with_more_page_days_than_are_read_is_one_other_row(
    api: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stats_module, "MAX_PAGE_DAYS", 2)
    for page in ("%2Fa", "%2Fb", "%2Fc"):
        visit(api, page)

    csv_answer = stats(api, "export.csv", f"from={TODAY}&to={TODAY}")

    assert csv_answer["body"] == f"date,page,views,visitors\r\n{TODAY},other,3,\r\n"


def test_made_up_pages_past_the_days_cap_leave_the_range_lists_but_count(
    api: Router, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 2)
    for page in ("%2Fmade-up-1", "%2Fmade-up-2", "%2Fmade-up-3", "%2F", "%2Fmade-up-3"):
        visit(api, page)  # "/" is listed; the others only the test site's glob "/*" admits

    csv_answer = stats(api, "export.csv", f"from={TODAY}&to={TODAY}")
    pages = body(stats(api, "pages", f"from={TODAY}&to={TODAY}"))
    made_up_3 = body(stats(api, "daily", f"from={TODAY}&to={TODAY}&page=%2Fmade-up-3"))

    assert csv_answer["body"] == (
        "date,page,views,visitors\r\n"
        f"{TODAY},/,1,1\r\n{TODAY},/made-up-1,1,1\r\n{TODAY},/made-up-2,1,1\r\n"
        f"{TODAY},other,2,\r\n"
    )
    assert pages["other"] == {"views": 2}
    assert made_up_3["days"] == [{"date": TODAY, "views": 2, "visitors": 1}]
    assert body(stats(api, "daily", f"from={TODAY}&to={TODAY}"))["days"][0]["views"] == 5
    live_day = dynamodb.get_item(
        TableName=TEST_TABLE_NAME, Key={"ID": {"S": schema.page_key("blog", "/made-up-3")}}
    )["Item"]
    # In no index partition (every made-up page's shard wrote the one it used to be in).
    assert schema.SITE_ATTRIBUTE not in live_day
    assert live_day[schema.OVERFLOW_ATTRIBUTE] == {"BOOL": True}


TOMORROW = "2026-11-26"


@pytest.mark.parametrize("old_layout", [False, True], ids=["flagged", "old site value"])
def test_a_day_past_the_cap_moves_out_of_every_list_and_the_next_may_be_listed(
    api: Router, dynamodb: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch, old_layout: bool
) -> None:
    """Its views are in the site's day once (view by view, not again by the move); its past
    day is in no index; the next day, with room in the day's list, the page is listed."""
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 1)
    for page in ("%2Fmade-up-1", "%2Fmade-up-2", "%2Fmade-up-2"):
        visit(api, page)
    key = {"ID": {"S": schema.page_key("blog", "/made-up-2")}}
    if old_layout:  # as a day past the cap was kept before the flag
        dynamodb.update_item(
            TableName=TEST_TABLE_NAME,
            Key=key,
            UpdateExpression="SET #site = :old REMOVE #overflow",
            ExpressionAttributeNames={"#site": "site", "#overflow": schema.OVERFLOW_ATTRIBUTE},
            ExpressionAttributeValues={":old": {"S": "blog#overflow"}},
        )
    clock.now_s += 86_400
    visit(api, "%2Fmade-up-2")  # tomorrow's first unlisted page: listed

    both = f"from={TODAY}&to={TOMORROW}"
    daily = body(stats(api, "daily", both))["days"]
    pages = body(stats(api, "pages", both))
    live_day = dynamodb.get_item(TableName=TEST_TABLE_NAME, Key=key)["Item"]
    history = dynamodb.scan(TableName=schema.history_table_name(TEST_TABLE_NAME))["Items"]
    past = [item for item in history if item["ID"]["S"] == key["ID"]["S"]]

    assert [(day["views"], day["visitors"]) for day in daily] == [(3, 1), (1, 1)]
    assert pages["pages"] == [
        {"page": "/made-up-1", "views": 1, "visitors": 1},
        {"page": "/made-up-2", "views": 1, "visitors": 1},
    ]
    assert pages["other"] == {"views": 2}
    assert live_day[schema.SITE_ATTRIBUTE] == {"S": "blog"}
    assert schema.OVERFLOW_ATTRIBUTE not in live_day
    assert [(item["views"]["N"], schema.SITE_ATTRIBUTE in item) for item in past] == [("2", False)]


def test_listed_pages_stay_in_the_range_lists_past_the_days_cap(
    api: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 1)
    for page in ("%2Fmade-up-1", "%2Fmade-up-2", "%2F", "%2Fposts%2Fhello"):
        visit(api, page)

    pages = body(stats(api, "pages", f"from={TODAY}&to={TODAY}"))

    assert [row["page"] for row in pages["pages"]] == ["/", "/made-up-1", "/posts/hello"]
    assert pages["other"] == {"views": 1}


def test_pages_ranks_the_ranges_pages(api: Router) -> None:
    visit(api, "%2Fb")
    visit(api, "%2Fb", source_ip="192.0.2.2")
    visit(api)

    pages = body(stats(api, "pages", f"from={TODAY}&to={TODAY}"))
    top = body(stats(api, "pages", "limit=1"))

    assert pages["pages"] == [
        {"page": "/b", "views": 2, "visitors": 2},
        {"page": "/a", "views": 1, "visitors": 1},
    ]
    assert pages["other"] == {"views": 0}
    assert (top["pages"], top["other"]) == ([pages["pages"][0]], {"views": 1})


def test_the_csv_export_has_a_row_per_page_per_day(api: Router, clock: Clock) -> None:
    visit(api, "%2Fb")
    clock.now_s += 86_400
    visit(api)
    visit(api, "%2Fb")

    response = stats(api, "export.csv", f"from={TODAY}&to=2026-11-26")

    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"] == "text/csv; charset=utf-8"
    assert response["headers"]["Content-Disposition"] == (
        f'attachment; filename="stats-{TODAY}-to-2026-11-26.csv"'
    )
    assert response["body"] == (
        f"date,page,views,visitors\r\n{TODAY},/b,1,1\r\n2026-11-26,/a,1,1\r\n2026-11-26,/b,1,1\r\n"
    )


@pytest.mark.parametrize(
    ("route", "query", "message"),
    [
        ("daily", "from=2026-13-01", "from must be a date as YYYY-MM-DD, got '2026-13-01'."),
        ("daily", "to=26-11-2026", "to must be a date as YYYY-MM-DD, got '26-11-2026'."),
        ("daily", "from=2026-11-5", "from must be a date as YYYY-MM-DD, got '2026-11-5'."),
        ("daily", "from=2026-11-25&to=2026-11-24", "from (2026-11-25) is after to (2026-11-24)."),
        (
            "daily",
            "from=2025-01-01&to=2026-02-05",
            "The range from 2025-01-01 to 2026-02-05 is longer than 400 days.",
        ),
        (
            "daily",
            "form=2026-11-01",
            "Unknown query parameter 'form': this route takes from, to, page, site.",
        ),
        (
            "export.csv",
            "page=%2Fa",
            "Unknown query parameter 'page': this route takes from, to, site.",
        ),
        ("referrers", "to=2026-11-01&to=2026-11-02", "Query parameter 'to' is given twice."),
        ("daily", "to=0001-01-05", "to must be 2000-01-01 or later, got '0001-01-05'."),
        ("pages", "limit=0", "limit must be one whole number from 1 to 100."),
        ("pages", "limit=1000", "limit must be one whole number from 1 to 100."),
    ],
)
def test_bad_parameters_answer_400_saying_which_and_change_nothing(
    api: Router, dynamodb: Any, route: str, query: str, message: str
) -> None:
    visit(api)
    before = all_items(dynamodb)

    response = stats(api, route, query)

    assert response["statusCode"] == 400
    assert body(response) == {"error": message}
    assert all_items(dynamodb) == before


def test_a_range_of_exactly_400_days_is_fine(api: Router) -> None:
    response = stats(api, "daily", "from=2025-01-01&to=2026-02-04&page=%2Fa")

    assert response["statusCode"] == 200
    assert len(body(response)["days"]) == 400


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer wrong-token"},
        {"authorization": "Basic dGVzdDp0ZXN0"},
        {"authorization": "Bearer"},
        {"authorization": OWNER["authorization"].replace("Bearer ", "")},
    ],
)
@pytest.mark.parametrize("route", ["daily", "pages", "referrers", "export.csv"])
def test_without_the_token_every_stats_route_answers_401_and_nothing_else(
    api: Router, dynamodb: Any, route: str, headers: dict[str, str]
) -> None:
    visit(api, headers=HN)
    before = all_items(dynamodb)

    response = stats(api, route, "from=not-a-date", headers=headers)

    assert response["statusCode"] == 401
    assert body(response) == {
        "error": "Stats need a valid token: send Authorization: Bearer <token> "
        "(`nox -s stats-token` makes one)."
    }
    assert response["headers"]["WWW-Authenticate"] == 'Bearer realm="stats"'
    assert all_items(dynamodb) == before


def test_no_token_is_valid_before_the_owner_makes_one(api: Router, dynamodb: Any) -> None:
    dynamodb.delete_item(
        TableName=TEST_TABLE_NAME, Key={"ID": {"S": schema.stats_token_key("blog")}}
    )

    assert stats(api, "daily")["statusCode"] == 401


def test_a_new_token_replaces_the_old_at_once(api: Router, dynamodb: Any) -> None:
    store_token(dynamodb, TEST_TABLE_NAME, "the-new-token")

    assert stats(api, "daily")["statusCode"] == 401
    assert (
        stats(api, "daily", headers={"authorization": "bearer the-new-token"})["statusCode"] == 200
    )


def test_public_stats_need_no_token(settings: Settings, handler_client: Any, clock: Clock) -> None:
    api = build_router(
        replace(settings, stats_access="public"),
        handler_client,
        requests=RequestLog("blog", "ERROR", io.StringIO()),
        clock=clock,
    )

    assert stats(api, "daily", headers={})["statusCode"] == 200


def test_the_preflight_allows_the_authorization_header(api: Router) -> None:
    response = api.handle(http_event("OPTIONS", "/stats/daily"))

    assert response["statusCode"] == 204
    assert response["headers"]["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert response["headers"]["Access-Control-Allow-Headers"] == "Authorization"
    assert response["headers"]["Access-Control-Allow-Methods"] == "GET, OPTIONS"


def test_stats_answers_carry_cors_headers_errors_included(api: Router) -> None:
    for headers in (OWNER, {}):
        response = stats(api, "daily", headers=headers)

        assert response["headers"]["Access-Control-Allow-Origin"] == SITE_ORIGIN


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("POST", "/stats/daily", 405), ("GET", "/stats", 404), ("GET", "/stats/secret", 404)],
)
def test_other_stats_paths_and_methods(
    api: Router, dynamodb: Any, method: str, path: str, status: int
) -> None:
    before = all_items(dynamodb)

    response = api.handle(http_event(method, path, headers=OWNER))

    assert response["statusCode"] == status
    assert all_items(dynamodb) == before


@pytest.mark.parametrize(
    "payload",
    ["{not json", "[]", '"x"', '{"referrer": 1}', '{"page": "/b"}', '{"referrer": null}'],
)
def test_a_bad_view_body_answers_400_and_counts_nothing(
    api: Router, dynamodb: Any, payload: str
) -> None:
    visit(api)
    before = all_items(dynamodb)

    response = api.handle(http_event("POST", "/pages/%2Fa", body=payload))

    assert response["statusCode"] == 400
    assert "A page view's body must be empty or a JSON object" in body(response)["error"]
    assert all_items(dynamodb) == before
