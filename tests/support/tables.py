"""Counter tables for tests, built from the schema the infrastructure uses too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.support.stats import store_token
from tests.support.table_definition import (
    counter_table_request,
    counter_table_ttl,
    daily_table_request,
    history_table_request,
)
from visitor_counter import schema

TEST_TABLE_NAME = "cloud-resume-challenge-test"
TEST_DAILY_TABLE_NAME = schema.daily_table_name(TEST_TABLE_NAME)
TEST_HISTORY_TABLE_NAME = schema.history_table_name(TEST_TABLE_NAME)
# The unit tests' site: two pages, and any page one segment deep ("/a", "/new").
TEST_PAGES = ("/", "/posts/hello")
TEST_PATTERNS = ("/*",)


def create_counter_table(client: Any, table_name: str = TEST_TABLE_NAME) -> None:
    """Create the counter, daily and history tables as the backend stack declares them, and
    the known-pages item as the deploy writes it."""
    client.create_table(**counter_table_request(table_name))
    client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=counter_table_ttl())
    daily = schema.daily_table_name(table_name)
    client.create_table(**daily_table_request(daily))
    client.update_time_to_live(TableName=daily, TimeToLiveSpecification=counter_table_ttl())
    history = schema.history_table_name(table_name)
    client.create_table(**history_table_request(history))
    client.update_time_to_live(TableName=history, TimeToLiveSpecification=counter_table_ttl())
    write_known_pages(client, TEST_PAGES, TEST_PATTERNS, table_name)
    store_token(client, table_name)


def write_known_pages(
    client: Any,
    pages: Sequence[str],
    patterns: Sequence[str],
    table_name: str = TEST_TABLE_NAME,
    targets: Sequence[str] = (),
) -> None:
    """Write the known-pages item, as the deploy writes it (resume.known_pages_item)."""
    client.put_item(
        TableName=table_name, Item=schema.known_pages_item("blog", pages, patterns, targets)
    )


def stored_count(client: Any, table_name: str = TEST_TABLE_NAME, item_id: str = "blog") -> int:
    """The counter as stored, 0 when the item does not exist yet."""
    item = client.get_item(
        TableName=table_name, Key={schema.PARTITION_KEY: {"S": item_id}}, ConsistentRead=True
    ).get("Item")
    return int(item[schema.SITE_TOTAL_ATTRIBUTE]["N"]) if item else 0


def all_items(client: Any, table_name: str = TEST_TABLE_NAME) -> list[dict[str, Any]]:
    """Every item of the three tables that requests write, in key order: compare before and
    after to prove nothing changed. (The known-pages and stats-token items are the deploy's
    and the owner's, left out.)"""
    tables = (
        table_name,
        schema.daily_table_name(table_name),
        schema.history_table_name(table_name),
    )
    items = [
        item
        for table in tables
        for item in client.scan(TableName=table, ConsistentRead=True)["Items"]
    ]
    # Every site's (the local cloud counts a second one, tests.support.cloud).
    theirs = (schema.known_pages_key(""), schema.stats_token_key(""))
    return sorted(
        (item for item in items if not item[schema.PARTITION_KEY]["S"].endswith(theirs)),
        key=lambda item: (
            item[schema.PARTITION_KEY]["S"],
            item.get(schema.HISTORY_SORT_KEY, {}).get("S", ""),
        ),
    )
