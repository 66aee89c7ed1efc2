"""Counter tables for tests, built from the schema the infrastructure uses too."""

from __future__ import annotations

from typing import Any

from tests.support.table_definition import counter_table_request, counter_table_ttl
from visitor_counter import schema

TEST_TABLE_NAME = "cloud-resume-challenge-test"


def create_counter_table(client: Any, table_name: str = TEST_TABLE_NAME) -> None:
    """Create the counter table the way the backend stack declares it."""
    client.create_table(**counter_table_request(table_name))
    client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=counter_table_ttl())


def stored_count(client: Any, table_name: str = TEST_TABLE_NAME, item_id: str = "blog") -> int:
    """The counter as stored, 0 when the item does not exist yet."""
    item = client.get_item(
        TableName=table_name, Key={schema.PARTITION_KEY: {"S": item_id}}, ConsistentRead=True
    ).get("Item")
    return int(item[schema.SITE_TOTAL_ATTRIBUTE]["N"]) if item else 0


def all_items(client: Any, table_name: str = TEST_TABLE_NAME) -> list[dict[str, Any]]:
    """Every item in the table, in key order: compare before and after to prove nothing changed."""
    items = client.scan(TableName=table_name, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda item: item[schema.PARTITION_KEY]["S"])
