"""Write units of a view and of a page's new day, from the items stored before and after.

By DynamoDB's own size rules (resume_tools.bench.write_units), indexes included, against
what the cost model bills (resume_tools.bench.cost). The stored items cannot show what
DynamoDB bills without storing anything (a refused conditional write) or twice (a
transaction): the model adds those by their rules, named beside its constants.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from resume_tools.bench.cost import (
    ESTIMATE_WEIGHT,
    INDEX_WRITES_PER_VIEW,
    PAGE_DAY_STORED_UNITS,
    UPDATES_PER_VIEW,
)
from resume_tools.bench.write_units import deployed_tables, units_of
from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.tables import TEST_HISTORY_TABLE_NAME, TEST_TABLE_NAME
from visitor_counter import schema
from visitor_counter.router import Router

DAY = 86_400


def view(api: Router, page: str, address: str) -> None:
    response = api.handle(http_event("POST", f"/pages/{page}", source_ip=address))
    assert response["statusCode"] == 200, response


def test_a_view_of_a_page_with_its_day_stores_what_the_model_bills(
    api: Router, dynamodb: Any
) -> None:
    tables = deployed_tables(TEST_TABLE_NAME)
    site_day = schema.site_history_key("blog")
    view(api, "%2F", "192.0.2.1")  # the day's salt, the page's day
    addresses = [f"192.0.2.{n % 7 + 1}" for n in range(ESTIMATE_WEIGHT + 1)]  # again and new

    measured = [
        units_of(dynamodb, tables, partial(view, api, "%2F", address), skip=[site_day])
        for address in addresses
    ]

    assert measured == [UPDATES_PER_VIEW + INDEX_WRITES_PER_VIEW] * len(addresses)
    # Apart: the site's day's estimate, one write a weight of views (the 20th here).
    (day,) = dynamodb.query(
        TableName=TEST_HISTORY_TABLE_NAME,
        KeyConditionExpression="ID = :id",
        ExpressionAttributeValues={":id": {"S": site_day}},
    )["Items"]
    assert day[schema.ESTIMATE_ATTRIBUTE] == {"N": str(ESTIMATE_WEIGHT)}


def test_a_pages_new_day_stores_what_the_model_bills(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    tables = deployed_tables(TEST_TABLE_NAME)
    view(api, "%2F", "192.0.2.1")
    clock.now_s += DAY
    view(api, "%2Fposts%2Fhello", "192.0.2.1")  # the new day's salt, made and swept

    # "/" moves yesterday to the history: its page item, the history's page day and the
    # site's day, the live-days index's entry moved (a delete and a put), the pages-by-day
    # entry made; and the client's item.
    assert units_of(dynamodb, tables, partial(view, api, "%2F", "192.0.2.1")) == (
        PAGE_DAY_STORED_UNITS
    )
