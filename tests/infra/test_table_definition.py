"""The tests' DynamoDB table is the deployed one: keys, attributes, index and TTL agree."""

from __future__ import annotations

from typing import Any

from resume_tools.bench.cost import INDEX_WRITES_PER_VIEW
from tests.support.synth import Synthesized, counter_table, history_table, resources
from tests.support.table_definition import (
    counter_table_request,
    counter_table_ttl,
    history_table_request,
)


def synthesized_table(production: Synthesized) -> dict[str, Any]:
    """The backend stack's table as synthesized for a real account."""
    return counter_table(production["backend"])


def test_key_schema_agrees(production: Synthesized) -> None:
    table = synthesized_table(production)

    request = counter_table_request("t")

    assert request["KeySchema"] == [{"AttributeName": table["hash_key"], "KeyType": "HASH"}]
    assert "range_key" not in table


def test_attribute_definitions_agree(production: Synthesized) -> None:
    table = synthesized_table(production)

    request = counter_table_request("t")

    deployed = sorted((item["name"], item["type"]) for item in table["attribute"])
    tested = sorted(
        (item["AttributeName"], item["AttributeType"]) for item in request["AttributeDefinitions"]
    )
    assert tested == deployed


def test_indexes_agree(production: Synthesized) -> None:
    table = synthesized_table(production)

    request = counter_table_request("t")

    deployed = [
        (index["name"], index["hash_key"], index.get("range_key"), index["projection_type"])
        for index in table.get("global_secondary_index", [])
    ]
    tested = [
        (
            index["IndexName"],
            next(k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "HASH"),
            next((k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "RANGE"), None),
            index["Projection"]["ProjectionType"],
        )
        for index in request.get("GlobalSecondaryIndexes", [])
    ]
    assert tested == deployed


def test_ttl_and_billing_agree(production: Synthesized) -> None:
    table = synthesized_table(production)

    ttl = counter_table_ttl()

    assert ttl == {
        "AttributeName": table["ttl"]["attribute_name"],
        "Enabled": table["ttl"]["enabled"],
    }
    assert counter_table_request("t")["BillingMode"] == table["billing_mode"]


def test_the_history_table_agrees(production: Synthesized) -> None:
    table = history_table(production["backend"])

    request = history_table_request("t")

    keys = {item["KeyType"]: item["AttributeName"] for item in request["KeySchema"]}
    assert keys == {"HASH": table["hash_key"], "RANGE": table["range_key"]}
    assert sorted(
        (a["AttributeName"], a["AttributeType"]) for a in request["AttributeDefinitions"]
    ) == (sorted((a["name"], a["type"]) for a in table["attribute"]))
    (index,) = table["global_secondary_index"]
    (tested,) = request["GlobalSecondaryIndexes"]
    assert tested["IndexName"] == index["name"]
    assert [k["AttributeName"] for k in tested["KeySchema"]] == [
        index["hash_key"],
        index["range_key"],
    ]
    assert tested["Projection"] == {
        "ProjectionType": index["projection_type"],
        "NonKeyAttributes": index["non_key_attributes"],
    }
    assert table["ttl"] == {"attribute_name": counter_table_ttl()["AttributeName"], "enabled": True}


def test_the_model_counts_a_write_for_every_index_a_view_moves(production: Synthesized) -> None:
    """Each table index a view's item is in takes one write (its projected counts change)."""
    indexes = [
        index
        for table in resources(production["backend"], "aws_dynamodb_table")
        for index in table.get("global_secondary_index", [])
    ]

    assert len(indexes) == INDEX_WRITES_PER_VIEW
