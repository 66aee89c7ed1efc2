"""Several sites in one deployment: counted, stored and read apart, each by its own token."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from resume_tools.deploy.stats_token import store_stats_token
from tests.support.events import SITE_ORIGIN, http_event
from tests.support.stats import OWNER
from tests.support.tables import TEST_TABLE_NAME, all_items
from visitor_counter import schema
from visitor_counter.settings import Settings, SettingsError, parse_origin
from visitor_counter.sites import Sites
from visitor_counter.wiring import build_sites

SHOP = "https://shop.example"
SHOP_TOKEN = "shop-owner-token-0123456789abcdef"
SHOP_OWNER = {"authorization": f"Bearer {SHOP_TOKEN}"}
TODAY = "2026-11-25"  # not the clock's: the sites' routers read the real time
SITES_ROLE = "arn:aws:iam::123456789012:role/resume-dev-counter-sites"


@pytest.fixture
def sites(settings: Settings, handler_client: Any, dynamodb: Any) -> Sites:
    """The test site ("blog") and a second, "shop", with its pages and token."""
    dynamodb.put_item(
        TableName=TEST_TABLE_NAME, Item=schema.known_pages_item("shop", ["/"], ["/products/*"])
    )
    store_stats_token(dynamodb, TEST_TABLE_NAME, SHOP_TOKEN, "shop")
    shop = (("shop", frozenset({SHOP})),)
    return build_sites(replace(settings, other_sites=shop), handler_client)


def answer(sites: Sites, *args: Any, **kwargs: Any) -> tuple[int, Any]:
    response = sites.handle(http_event(*args, **kwargs))
    return response["statusCode"], json.loads(response["body"])


def test_each_sites_views_count_under_its_own_id(sites: Sites, dynamodb: Any) -> None:
    answer(sites, "POST", "/pages/%2F", origin=SITE_ORIGIN, source_ip="192.0.2.1")
    answer(sites, "POST", "/pages/%2F", origin=SHOP, source_ip="192.0.2.2")
    answer(sites, "POST", "/pages/%2F", origin=SHOP, source_ip="192.0.2.3")
    answer(sites, "POST", "/pages/%2Fproducts%2Fhat", origin=SHOP, source_ip="192.0.2.3")

    blog = answer(sites, "GET", "/pages/%2F", origin=SITE_ORIGIN)
    shop = answer(sites, "GET", "/pages/%2F", origin=SHOP)
    keys = {item["ID"]["S"].split("#")[0] for item in all_items(dynamodb)}

    assert blog == (200, {"page": "/", "views": 1, "visitors": 1})
    assert shop == (200, {"page": "/", "views": 2, "visitors": 2})
    assert {"blog", "shop"} <= keys


def test_a_page_only_one_site_knows_counts_on_that_site_only(sites: Sites) -> None:
    on_shop = answer(sites, "POST", "/pages/%2Fproducts%2Fhat", origin=SHOP)
    on_blog = answer(sites, "POST", "/pages/%2Fproducts%2Fhat", origin=SITE_ORIGIN)

    assert on_shop[0] == 200
    assert on_blog[0] == 404
    assert on_blog[1]["error"].startswith("Page '/products/hat' is not one of this site's pages")


def test_a_sites_token_reads_its_own_stats_and_never_the_others(
    sites: Sites, dynamodb: Any
) -> None:
    answer(sites, "POST", "/pages/%2F", origin=SHOP, source_ip="192.0.2.9")
    query = f"from={TODAY}&to=2026-12-31"

    shop = answer(sites, "GET", "/stats/daily", query=f"{query}&site=shop", headers=SHOP_OWNER)
    blog_token_on_shop = answer(
        sites, "GET", "/stats/daily", query=f"{query}&site=shop", headers=OWNER
    )
    shop_token_on_blog = answer(sites, "GET", "/stats/daily", query=query, headers=SHOP_OWNER)
    named_blog = answer(sites, "GET", "/stats/daily", query=f"{query}&site=blog", headers=OWNER)

    assert shop[0] == 200
    assert shop[1]["agents"]["browsers"][0]["views"] == 1
    assert blog_token_on_shop[0] == shop_token_on_blog[0] == 401
    assert named_blog[0] == 200
    assert named_blog[1]["agents"]["browsers"] == []


def test_an_unknown_site_is_refused_by_name_and_changes_nothing(
    sites: Sites, dynamodb: Any
) -> None:
    before = all_items(dynamodb)

    status, body = answer(sites, "GET", "/stats/daily", query="site=%3Cb%3Enope", headers=OWNER)

    assert (status, body) == (404, {"error": "This deployment counts no site '<b>nope'."})
    assert all_items(dynamodb) == before


def test_a_foreign_origin_is_the_first_sites_and_counts_nowhere(
    sites: Sites, dynamodb: Any
) -> None:
    before = all_items(dynamodb)

    status, body = answer(sites, "POST", "/pages/%2F", origin="https://evil.example")

    assert (status, body["views"]) == (200, 0)
    assert all_items(dynamodb) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("shop", "OTHER_SITES: shop has no origin"),
        ("shop=", "OTHER_SITES: shop has no origin"),
        ("=https://a.example", "OTHER_SITES: '' is not a site id, or is given twice"),
        ("sh op=https://a.example", "OTHER_SITES: 'sh op' is not a site id, or is given twice"),
        ("a=https://a.example;a=https://b.example", "OTHER_SITES: 'a' is not a site id"),
        ("a=https://a.example/path", "OTHER_SITES: a: 'https://a.example/path' is not an"),
        ("blog=https://a.example", "OTHER_SITES: 'blog' is not a site id, or is given twice"),
        ("Shop=https://a.example", "OTHER_SITES: 'Shop' is not a site id"),
    ],
)
def test_other_sites_must_each_have_an_id_and_origins(value: str, message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"OTHER_SITES": value, "SITES_ROLE_ARN": SITES_ROLE})
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (None, "OTHER_SITES names other sites, but SITES_ROLE_ARN is not set"),
        ("", "OTHER_SITES names other sites, but SITES_ROLE_ARN is not set"),
        ("resume-dev-counter-sites", "SITES_ROLE_ARN='resume-dev-counter-sites' is not an IAM"),
        ("arn:aws:iam::123:role/x", "SITES_ROLE_ARN='arn:aws:iam::123:role/x' is not an IAM"),
        (f"{SITES_ROLE}*", f"SITES_ROLE_ARN='{SITES_ROLE}*' is not an IAM role's ARN"),
        ("arn:aws:iam::123456789012:user/x", "SITES_ROLE_ARN='arn:aws:iam::123456789012:user/x'"),
    ],
)
def test_other_sites_need_the_sites_role(role: str | None, message: str) -> None:
    """Without it, other sites would have no credentials: the cold start says so."""
    env = {"OTHER_SITES": f"shop={SHOP}"} | ({} if role is None else {"SITES_ROLE_ARN": role})
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    assert str(refused.value).startswith(message)


def test_other_sites_are_read_as_the_infrastructure_writes_them() -> None:
    settings = Settings.from_env(
        {
            "OTHER_SITES": "shop=https://Shop.example|https://www.shop.example;docs=http://d.ex:8080",
            "SITES_ROLE_ARN": SITES_ROLE,
        }
    )

    assert settings.other_sites == (
        ("shop", frozenset({"https://shop.example", "https://www.shop.example"})),
        ("docs", frozenset({"http://d.ex:8080"})),
    )
    assert settings.sites_role_arn == SITES_ROLE


@pytest.mark.parametrize(
    ("origin", "read"),
    [
        ("https://Bücher.example/", "https://xn--bcher-kva.example"),  # as a browser sends it
        ("http://[::1]:4321", "http://[::1]:4321"),
        ("http://127.0.0.1:4601", "http://127.0.0.1:4601"),
    ],
)
def test_an_origin_is_read_as_a_browser_sends_it(origin: str, read: str) -> None:
    assert parse_origin(origin) == read


@pytest.mark.parametrize("origin", ["https://a;b.example", "https://a|b.example", "https://*.x"])
def test_an_origin_with_a_separator_or_a_wildcard_is_refused(origin: str) -> None:
    """The environment's separators: such a value would split into other origins."""
    with pytest.raises(ValueError, match="its host is not a DNS name or address"):
        parse_origin(origin)
