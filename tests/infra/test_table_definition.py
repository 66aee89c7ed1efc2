"""The tests' DynamoDB table is the deployed one: keys, attributes, index and TTL agree."""

from __future__ import annotations

from typing import Any

from resume_tools.bench.cost import INDEX_WRITES_PER_VIEW
from resume_tools.bench.write_units import deployed_tables
from tests.support.synth import Synthesized, counter_table, daily_table, history_table
from tests.support.table_definition import (
    counter_table_request,
    counter_table_ttl,
    history_table_request,
)
from visitor_counter import schema


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


def test_a_views_write_moves_no_index_entry(production: Synthesized) -> None:
    """The model bills a view no index write: no index has a key or attribute a view changes.

    A view updates only its page's item in the counter table (and the client's, in the
    daily table, which has no index); the live-days index holds the keys alone, and its
    keys (the page's site and live day) change only with a page's new day. The history's
    index is written when a page's day moves there, once a page and day.
    """
    (live,) = counter_table(production["backend"])["global_secondary_index"]
    assert "global_secondary_index" not in daily_table(production["backend"])

    assert (live["hash_key"], live["range_key"]) == (schema.SITE_ATTRIBUTE, schema.DAY_ATTRIBUTE)
    assert live["projection_type"] == "KEYS_ONLY"
    assert INDEX_WRITES_PER_VIEW == 0


def test_the_write_unit_model_sizes_the_deployed_indexes(production: Synthesized) -> None:
    """resume_tools.bench.write_units prices index entries as the tables define them."""
    synthesized = [
        [
            ((index["hash_key"], index["range_key"]), tuple(index.get("non_key_attributes", ())))
            for index in table.get("global_secondary_index", [])
        ]
        for table in (
            counter_table(production["backend"]),
            daily_table(production["backend"]),
            history_table(production["backend"]),
        )
    ]

    modelled = [
        [(index.keys, index.projected) for index in table.indexes] for table in deployed_tables("t")
    ]

    assert modelled == synthesized
