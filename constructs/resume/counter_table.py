"""The DynamoDB table that stores the counters, keyed as the handler expects."""

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


class CounterTable(Construct):
    """On-demand table with point-in-time recovery, encryption, a TTL and the top-pages index."""

    def __init__(self, scope: Construct, id_: str, *, table_name: str, protect: bool) -> None:
        super().__init__(scope, id_)
        self.table = DynamodbTable(
            self,
            "table",
            name=table_name,
            billing_mode="PAY_PER_REQUEST",
            hash_key=schema.PARTITION_KEY,
            attribute=[
                DynamodbTableAttribute(name=schema.PARTITION_KEY, type=schema.PARTITION_KEY_TYPE),
                DynamodbTableAttribute(name=schema.SITE_ATTRIBUTE, type="S"),
                DynamodbTableAttribute(name=schema.VIEWS_ATTRIBUTE, type="N"),
            ],
            # GET /pages?top=N in one Query: only page items carry `site`, sorted by views.
            global_secondary_index=[
                DynamodbTableGlobalSecondaryIndex(
                    name=schema.TOP_PAGES_INDEX,
                    hash_key=schema.SITE_ATTRIBUTE,
                    range_key=schema.VIEWS_ATTRIBUTE,
                    projection_type="ALL",
                )
            ],
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
            server_side_encryption=DynamodbTableServerSideEncryption(enabled=True),
            ttl=DynamodbTableTtl(attribute_name=schema.TTL_ATTRIBUTE, enabled=True),
            deletion_protection_enabled=protect,
        )
        accept_findings(
            self.table,
            {
                "CKV_AWS_119": "Encrypted with the AWS-managed KMS key; a CMK costs $1/month "
                "and protects nothing more for a public visitor count."
            },
        )
        self.name = self.table.name
        self.arn = self.table.arn
        self.top_pages_index_arn = f"{self.table.arn}/index/{schema.TOP_PAGES_INDEX}"
