"""One address adds at most the hourly limit of views to a page, and one visitor a day."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.tables import all_items, stored_count
from visitor_counter import schema
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.telemetry import RequestLog
from visitor_counter.wiring import build_router

LIMIT = 5
AGENTS = [
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/{v}.0 Safari/537.36"
    for v in range(100, 200)
]


@pytest.fixture
def limited(
    settings: Settings, handler_client: Any, dynamodb: Any, clock: Clock, log_stream: io.StringIO
) -> Router:
    return build_router(
        replace(settings, max_views_per_client_hour=LIMIT),
        handler_client,
        requests=RequestLog("blog", "DEBUG", log_stream),
        clock=clock,
    )


def view(api: Router, page: str = "%2Fa", **kwargs: Any) -> dict[str, Any]:
    response = api.handle(http_event("POST", f"/pages/{page}", **kwargs))
    assert response["statusCode"] == 200, response
    return dict(json.loads(response["body"]))


def test_a_hundred_views_with_rotating_user_agents_add_the_limit_and_one_visitor(
    limited: Router, log_stream: io.StringIO
) -> None:
    answers = [view(limited, user_agent=agent) for agent in AGENTS]

    assert answers[-1] == {"page": "/a", "views": LIMIT, "visitors": 1}
    outcomes = [json.loads(line)["outcome"] for line in log_stream.getvalue().splitlines()]
    assert outcomes == ["counted"] * LIMIT + ["client_limit"] * (len(AGENTS) - LIMIT)


def test_the_limit_is_per_hour(limited: Router, clock: Clock) -> None:
    for _ in range(LIMIT + 2):
        view(limited)

    clock.now_s += 3600

    assert view(limited) == {"page": "/a", "views": LIMIT + 1, "visitors": 1}


def test_the_limit_is_per_page_and_per_address(limited: Router) -> None:
    for _ in range(LIMIT + 1):
        view(limited)

    assert view(limited, "%2Fb")["views"] == 1
    assert view(limited, source_ip="198.51.100.200") == {"page": "/a", "views": LIMIT + 1,
                                                         "visitors": 2}  # fmt: skip


def test_opting_out_does_not_escape_the_limit(limited: Router) -> None:
    for _ in range(LIMIT + 3):
        last = view(limited, headers={"dnt": "1"})

    assert last == {"page": "/a", "views": LIMIT, "visitors": 0}


def test_the_site_total_has_no_per_client_limit(limited: Router, dynamodb: Any) -> None:
    for agent in AGENTS[:40]:
        limited.handle(http_event("POST", user_agent=agent))

    assert stored_count(dynamodb) == 40


def test_over_the_limit_changes_nothing_but_the_answer(limited: Router, dynamodb: Any) -> None:
    for _ in range(LIMIT):
        view(limited)
    before = dynamodb.scan(TableName="cloud-resume-challenge-test")["Items"]

    view(limited)

    assert dynamodb.scan(TableName="cloud-resume-challenge-test")["Items"] == before


def test_an_ipv6_client_is_its_slash_64(limited: Router) -> None:
    view(limited, source_ip="2001:db8:1:2::1")

    same = view(limited, source_ip="2001:db8:1:2:ffff::9")
    other = view(limited, source_ip="2001:db8:1:3::1")

    assert same["visitors"] == 1
    assert other["visitors"] == 2


def dynamodb_size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it: names plus values; a number is about one byte
    per two significant digits, plus one (AWS's "Item sizes and formats")."""
    size = 0
    for name, value in item.items():
        ((kind, data),) = value.items()
        size += len(name.encode())
        if kind == "S":
            size += len(data.encode())
        elif kind == "N":
            size += (len(data.strip("-").replace(".", "")) + 1) // 2 + 1
        elif kind == "SS":
            size += sum(len(element.encode()) for element in data)
        else:
            size += 1
    return size


def test_an_address_views_at_most_200_pages_a_day_which_bounds_its_item(
    api: Router, dynamodb: Any, log_stream: io.StringIO
) -> None:
    for number in range(schema.MAX_PAGES_PER_CLIENT_DAY):
        assert view(api, f"%2Fp{number}")["views"] == 1

    refused = view(api, "%2Fone-too-many")
    again = view(api, "%2Fp0")  # a page it viewed already still counts

    assert refused == {"page": "/one-too-many", "views": 0, "visitors": 0}
    assert again == {"page": "/p0", "views": 2, "visitors": 1}
    assert json.loads(log_stream.getvalue().splitlines()[-2])["outcome"] == "client_limit"
    (client,) = [i for i in all_items(dynamodb) if i["ID"]["S"].startswith("blog#client#")]
    assert dynamodb_size(client) < 9 * 1024
