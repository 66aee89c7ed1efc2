"""The history table: views, visitors and referrers per UTC day, of each page and the site."""

from __future__ import annotations

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

# What the range-wide reads (top pages, the CSV export) need of each page's day: the index
# leaves the referrers out, so its writes stay small.
PAGES_BY_DAY_ATTRIBUTES = (
    schema.PAGE_ATTRIBUTE,
    schema.VIEWS_ATTRIBUTE,
    schema.PAGE_VISITORS_ATTRIBUTE,
)


class HistoryTable(Construct):
    """On-demand table keyed by item and day, recoverable, days expiring by their TTL."""

    def __init__(self, scope: Construct, id_: str, *, table_name: str, protect: bool) -> None:
        super().__init__(scope, id_)
        self.table = DynamodbTable(
            self,
            "table",
            name=table_name,
            billing_mode="PAY_PER_REQUEST",
            hash_key=schema.PARTITION_KEY,
            range_key=schema.HISTORY_SORT_KEY,
            attribute=[
                DynamodbTableAttribute(name=schema.PARTITION_KEY, type=schema.PARTITION_KEY_TYPE),
                DynamodbTableAttribute(name=schema.HISTORY_SORT_KEY, type="S"),
                DynamodbTableAttribute(name=schema.SITE_ATTRIBUTE, type="S"),
            ],
            # Every page's days of a range in one Query: only page days carry `site`.
            global_secondary_index=[
                DynamodbTableGlobalSecondaryIndex(
                    name=schema.PAGES_BY_DAY_INDEX,
                    hash_key=schema.SITE_ATTRIBUTE,
                    range_key=schema.HISTORY_SORT_KEY,
                    projection_type="INCLUDE",
                    non_key_attributes=list(PAGES_BY_DAY_ATTRIBUTES),
                )
            ],
            # Counts are worth restoring; the history holds no visitor's data.
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
            server_side_encryption=DynamodbTableServerSideEncryption(enabled=True),
            ttl=DynamodbTableTtl(attribute_name=schema.TTL_ATTRIBUTE, enabled=True),
            deletion_protection_enabled=protect,
        )
        accept_findings(
            self.table,
            {
                "CKV_AWS_119": "Encrypted with the AWS-managed KMS key; a CMK costs $1/month "
                "and protects nothing more for public page counts."
            },
        )
        self.name = self.table.name
        self.arn = self.table.arn
        self.pages_by_day_index_arn = f"{self.table.arn}/index/{schema.PAGES_BY_DAY_INDEX}"
