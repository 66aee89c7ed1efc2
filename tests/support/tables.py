"""Counter tables for tests, built from the schema the infrastructure uses too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.support.table_definition import (
    counter_table_request,
    counter_table_ttl,
    daily_table_request,
)
from visitor_counter import schema

TEST_TABLE_NAME = "cloud-resume-challenge-test"
TEST_DAILY_TABLE_NAME = schema.daily_table_name(TEST_TABLE_NAME)
# The unit tests' site: two pages, and any page one segment deep ("/a", "/new").
TEST_PAGES = ("/", "/posts/hello")
TEST_PATTERNS = ("/*",)


def create_counter_table(client: Any, table_name: str = TEST_TABLE_NAME) -> None:
    """Create the counter and daily tables as the backend stack declares them, and the
    known-pages item as the deploy writes it."""
    client.create_table(**counter_table_request(table_name))
    client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=counter_table_ttl())
    daily = schema.daily_table_name(table_name)
    client.create_table(**daily_table_request(daily))
    client.update_time_to_live(TableName=daily, TimeToLiveSpecification=counter_table_ttl())
    write_known_pages(client, TEST_PAGES, TEST_PATTERNS, table_name)


def write_known_pages(
    client: Any, pages: Sequence[str], patterns: Sequence[str], table_name: str = TEST_TABLE_NAME
) -> None:
    """Write the known-pages item, as the deploy writes it (resume.known_pages_item)."""
    client.put_item(TableName=table_name, Item=schema.known_pages_item("blog", pages, patterns))


def stored_count(client: Any, table_name: str = TEST_TABLE_NAME, item_id: str = "blog") -> int:
    """The counter as stored, 0 when the item does not exist yet."""
    item = client.get_item(
        TableName=table_name, Key={schema.PARTITION_KEY: {"S": item_id}}, ConsistentRead=True
    ).get("Item")
    return int(item[schema.SITE_TOTAL_ATTRIBUTE]["N"]) if item else 0


def all_items(client: Any, table_name: str = TEST_TABLE_NAME) -> list[dict[str, Any]]:
    """Every item of both tables that requests write, in key order: compare before and after
    to prove nothing changed. (The known-pages item is the deploy's, left out.)"""
    items = [
        *client.scan(TableName=table_name, ConsistentRead=True)["Items"],
        *client.scan(TableName=schema.daily_table_name(table_name), ConsistentRead=True)["Items"],
    ]
    known_pages = schema.known_pages_key("blog")
    return sorted(
        (item for item in items if item[schema.PARTITION_KEY]["S"] != known_pages),
        key=lambda item: item[schema.PARTITION_KEY]["S"],
    )
