"""The tables' CreateTable requests and TTL, from the schema the stacks use too.

tests/infra/test_table_definition.py proves they agree with the synthesized table.
"""

from __future__ import annotations

from typing import Any

from visitor_counter import schema


def counter_table_request(table_name: str) -> dict[str, Any]:
    """CreateTable arguments matching the backend stack's DynamoDB table."""
    return {
        "TableName": table_name,
        "KeySchema": [{"AttributeName": schema.PARTITION_KEY, "KeyType": "HASH"}],
        "AttributeDefinitions": [
            {"AttributeName": schema.PARTITION_KEY, "AttributeType": schema.PARTITION_KEY_TYPE},
            {"AttributeName": schema.SITE_ATTRIBUTE, "AttributeType": "S"},
            {"AttributeName": schema.DAY_ATTRIBUTE, "AttributeType": "S"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": schema.LIVE_DAYS_INDEX,
                "KeySchema": [
                    {"AttributeName": schema.SITE_ATTRIBUTE, "KeyType": "HASH"},
                    {"AttributeName": schema.DAY_ATTRIBUTE, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def daily_table_request(table_name: str) -> dict[str, Any]:
    """CreateTable arguments matching the backend stack's daily table."""
    return {
        "TableName": table_name,
        "KeySchema": [{"AttributeName": schema.PARTITION_KEY, "KeyType": "HASH"}],
        "AttributeDefinitions": [
            {"AttributeName": schema.PARTITION_KEY, "AttributeType": schema.PARTITION_KEY_TYPE},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def history_table_request(table_name: str) -> dict[str, Any]:
    """CreateTable arguments matching the backend stack's history table."""
    return {
        "TableName": table_name,
        "KeySchema": [
            {"AttributeName": schema.PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": schema.HISTORY_SORT_KEY, "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": schema.PARTITION_KEY, "AttributeType": schema.PARTITION_KEY_TYPE},
            {"AttributeName": schema.HISTORY_SORT_KEY, "AttributeType": "S"},
            {"AttributeName": schema.SITE_ATTRIBUTE, "AttributeType": "S"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": schema.PAGES_BY_DAY_INDEX,
                "KeySchema": [
                    {"AttributeName": schema.SITE_ATTRIBUTE, "KeyType": "HASH"},
                    {"AttributeName": schema.HISTORY_SORT_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {
                    "ProjectionType": "INCLUDE",
                    "NonKeyAttributes": [
                        schema.PAGE_ATTRIBUTE,
                        schema.VIEWS_ATTRIBUTE,
                        schema.PAGE_VISITORS_ATTRIBUTE,
                    ],
                },
            }
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def counter_table_ttl() -> dict[str, Any]:
    """UpdateTimeToLive's specification matching the backend stack's tables (both alike)."""
    return {"AttributeName": schema.TTL_ATTRIBUTE, "Enabled": True}
