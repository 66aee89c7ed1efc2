"""Browsers, systems and device classes: counted from the User-Agent, stored as names only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.stats import OWNER
from tests.support.tables import all_items
from visitor_counter.agents import agent_names
from visitor_counter.router import Router

TODAY = "2026-11-25"  # the test clock's day
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:131.0) Gecko/131.0 Firefox/131.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
CHROME_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAMSUNG_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/25.0 Chrome/121.0.0.0 Safari/537.36"
)
SAFARI_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)

# iPadOS browsers send a Mac agent.
CHROME_IPADOS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1"
)
SAFARI_IPADOS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)


@pytest.mark.parametrize(
    ("agent", "names"),
    [
        (FIREFOX_ANDROID, ("firefox", "android", "mobile")),
        (SAFARI_IPHONE, ("safari", "ios", "mobile")),
        (CHROME_IPHONE, ("chrome", "ios", "mobile")),
        (EDGE_WINDOWS, ("edge", "windows", "desktop")),
        (CHROME_MAC, ("chrome", "macos", "desktop")),
        (SAMSUNG_TABLET, ("samsung", "android", "tablet")),
        (SAFARI_IPAD, ("safari", "ios", "tablet")),
        (CHROME_IPADOS, ("chrome", "ios", "tablet")),
        (SAFARI_IPADOS, ("safari", "macos", "desktop")),  # the same agent as on a Mac
        ("", ("other", "other", "desktop")),
        ("<script>alert(1)</script>", ("other", "other", "desktop")),
    ],
)
def test_an_agent_is_three_names_of_a_small_set(agent: str, names: tuple[str, ...]) -> None:
    assert agent_names(agent, "de") == (
        *(f"a:{kind}:{name}" for kind, name in zip("bod", names, strict=True)),
        "a:c:de",
    )


def daily(api: Router, query: str) -> Any:
    response = api.handle(http_event("GET", "/stats/daily", query=query, headers=OWNER))
    assert response["statusCode"] == 200, response
    return json.loads(response["body"])


def test_views_by_agent_for_the_site_and_a_page_past_and_live(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    visits = [("%2F", FIREFOX_ANDROID), ("%2F", SAFARI_IPHONE), ("%2Fa", FIREFOX_ANDROID)]
    for n, (page, agent) in enumerate(visits):
        api.handle(
            http_event(
                "POST", f"/pages/{page}", headers={"User-Agent": agent}, source_ip=f"192.0.2.{n}"
            )
        )
    clock.now_s += 86_400  # "/" moves its day to the history with its next view
    api.handle(http_event("POST", "/pages/%2F", headers={"User-Agent": EDGE_WINDOWS}))
    both = f"from={TODAY}&to=2026-11-26"

    site = daily(api, both)["agents"]
    page = daily(api, f"{both}&page=%2F")["agents"]
    stored = json.dumps(all_items(dynamodb), default=repr)

    assert site == {
        "browsers": [
            {"name": "firefox", "views": 2},
            {"name": "edge", "views": 1},
            {"name": "safari", "views": 1},
        ],
        "systems": [
            {"name": "android", "views": 2},
            {"name": "ios", "views": 1},
            {"name": "windows", "views": 1},
        ],
        "devices": [{"name": "mobile", "views": 3}, {"name": "desktop", "views": 1}],
        # Straight to the API, not through the site's distribution: no country is known.
        "countries": [{"name": "unknown", "views": 4}],
    }
    assert page["browsers"] == [
        {"name": "edge", "views": 1},
        {"name": "firefox", "views": 1},
        {"name": "safari", "views": 1},
    ]
    # Only the names: no agent, no part of one.
    for text in ("Mozilla", "Gecko", "rv:131", "iPhone OS", "Win64"):
        assert text not in stored


@pytest.mark.parametrize(
    "hostile",
    [
        "Android " * 1000 + "Mobile",
        "Macintosh " * 800,
        "Version/1" + " Mobile/x" * 900,
        "(" * 8000,
    ],
)
def test_an_8_kb_hostile_agent_is_still_three_names(hostile: str) -> None:
    """The header limit is 8 KB: no rule backtracks over it (each is a simple search)."""
    names = agent_names(hostile, "unknown")

    assert len(names) == 4
