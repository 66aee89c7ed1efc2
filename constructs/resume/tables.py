"""What every table of the stack shares: on-demand, encrypted, a TTL, keyed by `ID` (+ day)."""

from __future__ import annotations

from collections.abc import Mapping

from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTableGlobalSecondaryIndex,
    DynamodbTablePointInTimeRecovery,
    DynamodbTableServerSideEncryption,
    DynamodbTableTtl,
)

from constructs import Construct
from resume.checkov import accept_findings
from visitor_counter import schema


def on_demand_table(
    scope: Construct,
    *,
    name: str,
    key_types: Mapping[str, str],
    recovery: bool,
    findings: Mapping[str, str],
    range_key: str | None = None,
    index: DynamodbTableGlobalSecondaryIndex | None = None,
    protect: bool | None = None,
) -> DynamodbTable:
    """The construct `table` of `scope`, its hash key schema.PARTITION_KEY.

    `key_types`: every key attribute (of the table and its index) and its type;
    `findings`: the checkov findings accepted, with their reasons.
    """
    table = DynamodbTable(
        scope,
        "table",
        name=name,
        billing_mode="PAY_PER_REQUEST",
        hash_key=schema.PARTITION_KEY,
        range_key=range_key,
        attribute=[DynamodbTableAttribute(name=key, type=kind) for key, kind in key_types.items()],
        global_secondary_index=[index] if index else None,
        point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=recovery),
        server_side_encryption=DynamodbTableServerSideEncryption(enabled=True),
        ttl=DynamodbTableTtl(attribute_name=schema.TTL_ATTRIBUTE, enabled=True),
        deletion_protection_enabled=protect,
    )
    accept_findings(table, dict(findings))
    return table
