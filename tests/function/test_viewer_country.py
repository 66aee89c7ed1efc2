"""Countries and the site's own origin: believed from the site's distribution only."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.events import http_event
from tests.support.stats import OWNER
from tests.support.tables import all_items
from visitor_counter.router import Router
from visitor_counter.settings import Settings, SettingsError
from visitor_counter.viewer import COUNTRIES, viewer_of

SECRET = "0f6c9a52-6f1e-4d7a-9f43-2d1b8c0e7a15"
THROUGH_SITE = {"x-origin-verify": SECRET}
CLOUDFRONT_HOST = "d111111abcdef8.cloudfront.net"
TODAY = "2026-11-25"  # the test clock's day


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({**THROUGH_SITE, "cloudfront-viewer-country": "DE"}, "de"),
        # Straight to the API: the viewer's own header is not CloudFront's.
        ({"cloudfront-viewer-country": "DE"}, "unknown"),
        ({"x-origin-verify": SECRET[:-1] + "0", "cloudfront-viewer-country": "DE"}, "unknown"),
        ({"x-origin-verify": "", "cloudfront-viewer-country": "DE"}, "unknown"),
        # Not a country, even through the site.
        ({**THROUGH_SITE, "cloudfront-viewer-country": "de"}, "unknown"),
        ({**THROUGH_SITE, "cloudfront-viewer-country": "DEU"}, "unknown"),
        ({**THROUGH_SITE, "cloudfront-viewer-country": "<b>"}, "unknown"),
        ({**THROUGH_SITE, "cloudfront-viewer-country": "D\u00c9"}, "unknown"),
        ({**THROUGH_SITE, "cloudfront-viewer-country": "ZZ"}, "unknown"),  # no country
        ({**THROUGH_SITE, "cloudfront-viewer-country": "XK"}, "xk"),
        ({"x-origin-verify": "\ud800", "cloudfront-viewer-country": "DE"}, "unknown"),
        (THROUGH_SITE, "unknown"),
    ],
)
def test_a_country_is_cloudfronts_two_letters_through_the_site_only(
    headers: dict[str, str], expected: str
) -> None:
    assert viewer_of(headers, SECRET, "").country == expected


def test_the_countries_are_iso_3166s_and_kosovo() -> None:
    """A fixed set bounds a day's item: 250 names at most (resume.capacity)."""
    assert len(COUNTRIES) == 250
    assert all(len(code) == 2 and code.isupper() for code in COUNTRIES)
    assert {"DE", "FR", "US", "JP", "XK", "AQ"} <= COUNTRIES


def test_without_a_secret_nothing_is_believed() -> None:
    """A deployment with no distribution in front (ORIGIN_SECRET unset) trusts no header."""
    headers = {"x-origin-verify": "", "cloudfront-viewer-country": "DE"}
    assert viewer_of(headers, "", "").country == "unknown"
    assert viewer_of({**headers, "x-viewer-host": CLOUDFRONT_HOST}, "", "").site_origin is None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (CLOUDFRONT_HOST, f"https://{CLOUDFRONT_HOST}"),
        ("Example.COM", "https://example.com"),
        ("evil.example/x", None),
        ("localhost", None),
        ("a..b", None),
        ("", None),
    ],
)
def test_the_sites_origin_is_its_viewer_host(host: str, expected: str | None) -> None:
    assert viewer_of({**THROUGH_SITE, "x-viewer-host": host}, SECRET, "").site_origin == expected
    assert viewer_of({"x-viewer-host": host}, SECRET, "").site_origin is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("198.51.100.10", "198.51.100.10"),
        ("2001:db8::1", "2001:db8::1"),
        ("198.51.100.10:46532", "203.0.113.9"),  # not an address
        ("evil", "203.0.113.9"),
        ("", "203.0.113.9"),
    ],
)
def test_through_the_site_the_viewers_address_is_the_distributions(
    header: str, expected: str
) -> None:
    """API Gateway's sourceIp is CloudFront's edge server then: every viewer would be one."""
    headers = {"x-viewer-address": header}
    assert viewer_of({**headers, **THROUGH_SITE}, SECRET, "203.0.113.9").address == expected
    assert viewer_of(headers, SECRET, "203.0.113.9").address == "203.0.113.9"


def test_views_through_one_edge_server_are_each_viewers_own(
    api_with: Callable[..., Router],
) -> None:
    """Two viewers behind one CloudFront edge: two unique visitors, not one."""
    api = api_with(origin_secret=SECRET)
    for viewer in ("198.51.100.1", "198.51.100.2", "198.51.100.2"):
        headers = {**THROUGH_SITE, "x-viewer-address": viewer}
        response = api.handle(
            http_event("POST", "/pages/%2F", headers=headers, source_ip="130.176.0.1")
        )
        assert response["statusCode"] == 200, response

    assert json.loads(response["body"]) == {"page": "/", "views": 3, "visitors": 2}


def test_a_secret_is_checked_without_being_echoed() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"ORIGIN_SECRET": "short-but-secret"})
    assert "short-but-secret" not in str(raised.value)
    assert "ORIGIN_SECRET" in str(raised.value)
    assert Settings.from_env({"ORIGIN_SECRET": SECRET}).origin_secret == SECRET


def countries(api: Router, page: str = "") -> Any:
    query = f"from={TODAY}&to={TODAY}" + (f"&page={page}" if page else "")
    response = api.handle(http_event("GET", "/stats/daily", query=query, headers=OWNER))
    assert response["statusCode"] == 200, response
    return json.loads(response["body"])["agents"]["countries"]


def test_views_through_the_site_count_their_country_and_forged_ones_do_not(
    api_with: Callable[..., Router], dynamodb: Any
) -> None:
    api = api_with(origin_secret=SECRET)
    views = [
        ({**THROUGH_SITE, "cloudfront-viewer-country": "DE"}, "192.0.2.1"),
        ({**THROUGH_SITE, "cloudfront-viewer-country": "DE"}, "192.0.2.2"),
        ({**THROUGH_SITE, "cloudfront-viewer-country": "FR"}, "192.0.2.3"),
        ({"cloudfront-viewer-country": "US"}, "192.0.2.4"),  # forged, straight to the API
        ({**THROUGH_SITE, "cloudfront-viewer-country": "u s"}, "192.0.2.5"),
    ]
    for headers, address in views:
        response = api.handle(http_event("POST", "/pages/%2F", headers=headers, source_ip=address))
        assert response["statusCode"] == 200, response

    assert countries(api) == [
        {"name": "de", "views": 2},
        {"name": "unknown", "views": 2},
        {"name": "fr", "views": 1},
    ]
    assert countries(api, "%2Fa") == []
    stored = json.dumps(all_items(dynamodb), default=repr)
    assert "a:c:us" not in stored
    assert SECRET not in stored


def test_the_sites_cloudfront_origin_counts_only_through_the_site(
    api_with: Callable[..., Router], dynamodb: Any
) -> None:
    """The backend is deployed before the distribution, so it cannot list the site's
    CloudFront name: a request through the site brings it (X-Viewer-Host)."""
    api = api_with(origin_secret=SECRET)
    origin = f"https://{CLOUDFRONT_HOST}"
    forwarded = {"x-viewer-host": CLOUDFRONT_HOST}

    direct = api.handle(http_event("POST", "/pages/%2F", origin=origin, headers=forwarded))
    other_site = api.handle(
        http_event(
            "POST", "/pages/%2F", origin="https://evil.example", headers=forwarded | THROUGH_SITE
        )
    )
    before = all_items(dynamodb)
    through = api.handle(
        http_event(
            "POST",
            "/pages/%2F",
            origin=origin,
            headers=forwarded | THROUGH_SITE,
            body=json.dumps({"referrer": f"https://{CLOUDFRONT_HOST}/blog/"}),
        )
    )

    assert json.loads(direct["body"])["views"] == 0
    assert json.loads(other_site["body"])["views"] == 0
    assert before == []
    assert json.loads(through["body"])["views"] == 1
    # The site's own pages are not a referrer, whatever its CloudFront name.
    referrers = api.handle(
        http_event("GET", "/stats/referrers", query=f"from={TODAY}&to={TODAY}", headers=OWNER)
    )
    assert CLOUDFRONT_HOST not in referrers["body"]


def test_a_preflight_through_the_site_allows_its_own_origin_only_with_the_secret(
    api_with: Callable[..., Router],
) -> None:
    """What the deploy's smoke check asks: proof the secret and the host reach the function."""
    api = api_with(origin_secret=SECRET)
    origin = f"https://{CLOUDFRONT_HOST}"
    preflight = {"access-control-request-method": "POST", "x-viewer-host": CLOUDFRONT_HOST}

    through = api.handle(
        http_event("OPTIONS", "/", origin=origin, headers={**preflight, **THROUGH_SITE})
    )
    direct = api.handle(http_event("OPTIONS", "/", origin=origin, headers=preflight))

    assert through["statusCode"] == direct["statusCode"] == 204
    assert through["headers"]["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Origin" not in direct["headers"]
