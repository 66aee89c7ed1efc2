"""The counting rules: bots count nothing and get the count, DNT/GPC visitors are not hashed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.events import http_event
from tests.support.tables import all_items, stored_count
from visitor_counter.counting_rules import default_bot_rules
from visitor_counter.router import Router

BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0.0.0 Safari/537.36",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "",
    "   ",
]
BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    # A phone whose maker's name contains "bot".
    "Mozilla/5.0 (Linux; Android 13; CUBOT KINGKONG 9) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
]


@pytest.mark.parametrize("agent", BOTS)
def test_crawlers_libraries_and_missing_agents_are_bots(agent: str) -> None:
    assert default_bot_rules().is_bot(agent)


@pytest.mark.parametrize("agent", BROWSERS)
def test_browsers_are_not_bots(agent: str) -> None:
    assert not default_bot_rules().is_bot(agent)


def test_a_bot_gets_the_site_total_and_counts_nothing(api: Router, dynamodb: Any) -> None:
    api.handle(http_event("POST"))
    before = all_items(dynamodb)

    response = api.handle(http_event("POST", user_agent=BOTS[0]))

    assert response["statusCode"] == 200
    assert response["body"] == '{"visitors":1}'
    assert all_items(dynamodb) == before


def test_a_request_without_user_agent_counts_nothing(api: Router, dynamodb: Any) -> None:
    response = api.handle(http_event("POST", user_agent=None))

    assert response["body"] == '{"visitors":0}'
    assert all_items(dynamodb) == []


def test_a_bot_gets_a_pages_counts_and_counts_nothing(api: Router, dynamodb: Any) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))
    before = all_items(dynamodb)

    response = api.handle(http_event("POST", "/pages/%2Fa", user_agent="curl/8.5.0"))

    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"page": "/a", "views": 1, "visitors": 1}
    assert all_items(dynamodb) == before


def test_a_bot_on_a_new_page_gets_zeros_and_creates_nothing(api: Router, dynamodb: Any) -> None:
    response = api.handle(http_event("POST", "/pages/%2Fnew", user_agent="Googlebot/2.1"))

    assert json.loads(response["body"]) == {"page": "/new", "views": 0, "visitors": 0}
    assert all_items(dynamodb) == []


@pytest.mark.parametrize("header", ["DNT", "Sec-GPC", "dnt", "sec-gpc"])
def test_opted_out_visitors_count_a_view_but_never_a_visitor(
    api: Router, dynamodb: Any, header: str
) -> None:
    api.handle(http_event("POST", "/pages/%2Fa", headers={header: "1"}))
    response = api.handle(http_event("POST", "/pages/%2Fa", headers={header: "1"}))

    assert json.loads(response["body"]) == {"page": "/a", "views": 2, "visitors": 0}
    # The per-client limit holds for them too: a hashed client item with hourly counts,
    # and no visitor flag.
    (client,) = [item for item in all_items(dynamodb) if "#client#" in item["ID"]["S"]]
    assert "visitor" not in client


@pytest.mark.parametrize("value", ["0", "", "yes"])
def test_other_dnt_values_are_not_an_opt_out(api: Router, value: str) -> None:
    response = api.handle(http_event("POST", "/pages/%2Fa", headers={"DNT": value}))

    assert json.loads(response["body"])["visitors"] == 1


def test_opted_out_hits_still_count_the_site_total(api: Router, dynamodb: Any) -> None:
    api.handle(http_event("POST", headers={"Sec-GPC": "1"}))

    assert stored_count(dynamodb) == 1


def test_oversized_headers_are_431_and_count_nothing(api: Router, dynamodb: Any) -> None:
    response = api.handle(http_event("POST", headers={"x-padding": "a" * 8192}))

    assert response["statusCode"] == 431
    assert json.loads(response["body"]) == {"error": "Request headers are larger than 8192 bytes."}
    assert all_items(dynamodb) == []


def test_headers_up_to_the_limit_are_accepted(api: Router) -> None:
    event = http_event("POST")
    used = sum(len(k) + len(v) for k, v in event["headers"].items())
    event["headers"]["x-padding"] = "a" * (8192 - used - len("x-padding"))

    assert api.handle(event)["statusCode"] == 200


FOREIGN = ["https://evil.example", "null", "https://example.com.evil", "http://example.com"]


@pytest.mark.parametrize("origin", [*FOREIGN, None, ""])
@pytest.mark.parametrize("path", ["/", "/pages/%2Fa"])
def test_a_foreign_or_missing_origin_gets_the_counts_and_counts_nothing(
    api: Router, dynamodb: Any, log_stream: Any, origin: str | None, path: str
) -> None:
    api.handle(http_event("POST", path))  # one real view, so there is something to answer
    before = all_items(dynamodb)

    response = api.handle(http_event("POST", path, origin=origin))

    assert response["statusCode"] == 200
    answer = json.loads(response["body"])
    assert answer.get("visitors", answer.get("views")) == 1
    assert all_items(dynamodb) == before
    line = json.loads(log_stream.getvalue().splitlines()[-1])
    assert line["outcome"] == ("foreign_origin" if origin else "missing_origin")
    if origin:
        assert origin not in log_stream.getvalue()  # the value itself is never logged


@pytest.mark.parametrize("origin", ["https://example.com", "https://WWW.example.com/"])
def test_an_allowed_origin_counts(api: Router, dynamodb: Any, origin: str) -> None:
    response = api.handle(http_event("POST", origin=origin))

    assert json.loads(response["body"]) == {"visitors": 1}
    assert stored_count(dynamodb) == 1
