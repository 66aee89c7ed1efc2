"""Every DynamoDB call the handler makes is one its role's grants allow, on that resource.

moto evaluates no IAM, so a call the role may not make passes every other test and fails
on AWS on every request that makes it. Here each call the handler's own client sends, over
every route and path (a page's new day, a page past the day's cap, the ceiling's look and
estimate, the stats), is matched to resume.function_grants: the action (a transaction's
needs `dynamodb:UpdateItem` on each item it updates) on the kind of resource it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from resume.function_grants import (
    GRANTS,
    SITE_SESSION_GRANTS,
    TAGGED_SITE_KEYS,
    Grant,
    grant_conditions,
    granted,
)
from resume_tools.deploy.stats_token import store_stats_token
from tests.support.clock import Clock
from tests.support.events import SITE_ORIGIN, http_event
from tests.support.stats import OWNER
from tests.support.tables import TEST_DAILY_TABLE_NAME, TEST_HISTORY_TABLE_NAME, TEST_TABLE_NAME
from visitor_counter import schema
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.store import new_dynamodb_client
from visitor_counter.wiring import build_sites

DAY = 86_400
KINDS = {
    (TEST_TABLE_NAME, None): "table",
    (TEST_DAILY_TABLE_NAME, None): "daily_table",
    (TEST_HISTORY_TABLE_NAME, None): "history_table",
    (TEST_HISTORY_TABLE_NAME, schema.PAGES_BY_DAY_INDEX): "history_indexes",
    (TEST_TABLE_NAME, schema.LIVE_DAYS_INDEX): "live_days_index",
}


def actions_of(operation: str, params: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(table, index, action) for each resource one call acts on, as IAM authorizes it."""
    if operation == "TransactWriteItems":
        return [
            (item[kind]["TableName"], None, f"dynamodb:{kind}Item")
            for item in params["TransactItems"]
            for kind in item
        ]
    tables = params.get("RequestItems") or {params["TableName"]: None}
    return [(table, params.get("IndexName"), f"dynamodb:{operation}") for table in tables]


@pytest.fixture
def calls(handler_client: Any) -> list[tuple[str, str | None, str]]:
    made: list[tuple[str, str | None, str]] = []
    handler_client.meta.events.register(
        "before-parameter-build.dynamodb",  # the call's own parameters, before serializing
        lambda model, params, **_: made.extend(actions_of(model.name, params)),
    )
    return made


@pytest.mark.parametrize("shards", [1, 3], ids=["unsplit", "split"])
def test_every_call_of_every_route_is_granted(
    api_with: Callable[..., Router],
    calls: list[tuple[str, str | None, str]],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    shards: int,
) -> None:
    """Split, a view reads the day's list of unlisted pages, and reads sum the shards."""
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 1)
    api = api_with(write_shards=shards)
    for day in range(2):  # the second day moves the first's live days
        clock.now_s += day * DAY
        for page in ("%2F", "%2Fa", "%2Fb"):  # listed, unlisted, unlisted past the cap
            api.handle(http_event("POST", f"/pages/{page}", headers={"referer": "https://t.co"}))
    for event in (
        http_event("POST"),
        http_event("GET", "/pages/%2F"),
        http_event("GET", "/pages", query="top=10"),
        *(http_event("GET", f"/stats/{route}", headers=OWNER) for route in ROUTES),
        http_event("GET", "/stats/daily", query="page=%2F", headers=OWNER),
    ):
        assert api.handle(event)["statusCode"] == 200

    granted = {
        (action, kind) for grant in GRANTS for action in grant.actions for kind in grant.resources
    }
    made = {(action, KINDS[table, index]) for table, index, action in calls}

    # The paths were taken: a day moved (a transaction's update of a history item) and the
    # live days were read.
    assert ("dynamodb:UpdateItem", "history_table") in made
    assert ("dynamodb:Query", "live_days_index") in made
    assert made - granted == set()


ROUTES = ("daily", "pages", "referrers", "export.csv")


# The attribute each resource kind's partition key is: the leading key IAM reads.
PARTITION_ATTRIBUTES = {
    "table": schema.PARTITION_KEY,
    "daily_table": schema.PARTITION_KEY,
    "history_table": schema.PARTITION_KEY,
    "history_indexes": schema.SITE_ATTRIBUTE,
    "live_days_index": schema.SITE_ATTRIBUTE,
}
Call = tuple[str, str, tuple[str, ...]]  # (action, resource kind, the leading keys it names)


def leading_keys(operation: str, params: dict[str, Any]) -> list[Call]:
    """(action, kind, keys) of each resource one call acts on, with the keys IAM sees."""
    if operation == "TransactWriteItems":
        return [
            (f"dynamodb:{kind}Item", KINDS[entry["TableName"], None], _keys([entry], "table"))
            for item in params["TransactItems"]
            for kind, entry in item.items()
        ]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [
            (f"dynamodb:{operation}", KINDS[table, None], _keys(_batch_entries(request), "table"))
            for table, request in params["RequestItems"].items()
        ]
    kind = KINDS[params["TableName"], params.get("IndexName")]
    if operation == "Query":
        names = params.get("ExpressionAttributeNames", {})
        values = params["ExpressionAttributeValues"]
        keys = tuple(
            values[value]["S"]
            for name, value in re.findall(r"(#?\w+)\s*=\s*(:\w+)", params["KeyConditionExpression"])
            if names.get(name, name) == PARTITION_ATTRIBUTES[kind]
        )
        return [(f"dynamodb:{operation}", kind, keys)]
    return [(f"dynamodb:{operation}", kind, _keys([params], "table"))]


def _batch_entries(request: Any) -> list[dict[str, Any]]:
    if isinstance(request, dict):  # BatchGetItem: {"Keys": [...]}
        return [{"Key": key} for key in request["Keys"]]
    return [entry.get("PutRequest") or entry["DeleteRequest"] for entry in request]


def _keys(entries: list[dict[str, Any]], kind: str) -> tuple[str, ...]:
    attribute = PARTITION_ATTRIBUTES[kind]
    return tuple((entry.get("Key") or entry["Item"])[attribute]["S"] for entry in entries)


def allowed(call: Call, statements: list[tuple[Grant, tuple[str, ...]]]) -> bool:
    """Whether a statement allows `call`: its action, its kind, and every key one it names.

    `statements`: (grant, the LeadingKeys patterns its condition names, () for none).
    ForAllValues:StringLike, as IAM evaluates it: each key must match a pattern (`*` any
    run of characters, `?` one).
    """
    action, kind, keys = call
    return any(
        action in grant.actions
        and kind in grant.resources
        and (not patterns or all(any(_like(key, pattern) for pattern in patterns) for key in keys))
        for grant, patterns in statements
    )


def _like(key: str, pattern: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, key, re.DOTALL) is not None


def function_role_statements(site_ids: list[str]) -> list[tuple[Grant, tuple[str, ...]]]:
    """The function's role's item statements, as resume.function_role renders them."""
    return [
        (grant, tuple(values) if grant.own_site_items else ())
        for grant in GRANTS
        if granted(grant, site_ids, tracing=False) and grant.resources
        for (_, _, values) in (grant_conditions(grant, site_ids) or [("", "", [])])[:1]
    ]


def session_statements(site: str) -> list[tuple[Grant, tuple[str, ...]]]:
    """The sites role's statements in a session tagged `site`: IAM fills the variable in."""
    tagged = tuple(
        key.replace(f"&{{aws:PrincipalTag/{schema.SITE_SESSION_TAG}}}", site)
        for key in TAGGED_SITE_KEYS
    )
    return [(grant, tagged) for grant in SITE_SESSION_GRANTS]


def test_each_site_calls_only_what_its_own_credentials_allow(
    settings: Settings,
    handler_client: Any,
    dynamodb: Any,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two sites over every route: blog signs as the function's role, shop as a session
    tagged "shop" (site_sessions.py). IAM allows each its own calls, and refuses it every
    call the other site made: the grants, not only the routers, keep the sites apart."""
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 1)
    made: dict[str, list[Call]] = {"blog": [], "shop": []}
    shop_client = new_dynamodb_client(settings)
    for site, client in (("blog", handler_client), ("shop", shop_client)):
        client.meta.events.register(
            "before-parameter-build.dynamodb",
            lambda model, params, site=site, **_: made[site].extend(
                leading_keys(model.name, params)
            ),
        )
    shop = "https://shop.example"
    store_stats_token(dynamodb, TEST_TABLE_NAME, "shop-owner-token-0123456789abcdef", "shop")
    dynamodb.put_item(
        TableName=TEST_TABLE_NAME, Item=schema.known_pages_item("shop", ["/"], ["/products/*"])
    )
    sites = build_sites(
        replace(settings, other_sites=(("shop", frozenset({shop})),), write_shards=3),
        handler_client,
        lambda _site: shop_client,
    )
    owners = {"blog": OWNER, "shop": {"authorization": "Bearer shop-owner-token-0123456789abcdef"}}
    for site, origin, pages in (
        ("blog", SITE_ORIGIN, ("%2F", "%2Fa", "%2Fb")),
        ("shop", shop, ("%2F", "%2Fproducts%2Fa", "%2Fproducts%2Fb")),
    ):
        for day in range(2):  # the second day moves the first's live days
            clock.now_s += day * DAY
            for page in pages:
                event = http_event("POST", f"/pages/{page}", origin=origin)
                assert sites.handle(event)["statusCode"] == 200
        event_body = json.dumps({"event": "contact"})
        for event in (
            http_event("POST", origin=origin),  # the site total
            http_event("GET", origin=origin),
            http_event("GET", f"/pages/{pages[0]}", origin=origin),
            http_event("GET", "/pages", query="top=10", origin=origin),
            http_event("POST", f"/pages/{pages[0]}", origin=origin, body=event_body),
        ):
            assert sites.handle(event)["statusCode"] == 200, event
        query = "" if site == "blog" else "site=shop"
        for route in (*ROUTES, "events"):
            event = http_event("GET", f"/stats/{route}", headers=owners[site], query=query)
            assert sites.handle(event)["statusCode"] == 200
    credentials = {
        "blog": function_role_statements(["blog", "shop"]),
        "shop": session_statements("shop"),
    }

    assert {kind for _, kind, _ in made["shop"]} == set(PARTITION_ATTRIBUTES)  # every kind
    assert {action for action, _, _ in made["shop"]} >= {
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem",
        "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
    }  # fmt: skip
    for site, other in (("blog", "shop"), ("shop", "blog")):
        assert [c for c in made[site] if not allowed(c, credentials[site])] == [], site
        assert [c for c in made[site] if allowed(c, credentials[other])] == [], site
