"""Every DynamoDB call the handler makes is one its role's grants allow, on that resource.

moto evaluates no IAM, so a call the role may not make passes every other test and fails
on AWS on every request that makes it. Here each call the handler's own client sends, over
every route and path (a page's new day, a page past the day's cap, the ceiling's look and
estimate, the stats), is matched to resume.function_grants: the action (a transaction's
needs `dynamodb:UpdateItem` on each item it updates) on the kind of resource it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from resume.function_grants import GRANTS
from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.stats import OWNER
from tests.support.tables import TEST_DAILY_TABLE_NAME, TEST_HISTORY_TABLE_NAME, TEST_TABLE_NAME
from visitor_counter import schema
from visitor_counter.router import Router

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
