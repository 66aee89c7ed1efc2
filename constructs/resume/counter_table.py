"""The DynamoDB table that stores the counters, keyed as the handler expects."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTableGlobalSecondaryIndex

from constructs import Construct
from resume.tables import on_demand_table
from visitor_counter import schema


class CounterTable(Construct):
    """On-demand table with point-in-time recovery, encryption, a TTL and the top-pages index."""

    def __init__(self, scope: Construct, id_: str, *, table_name: str, protect: bool) -> None:
        super().__init__(scope, id_)
        self.table = on_demand_table(
            self,
            name=table_name,
            key_types={
                schema.PARTITION_KEY: schema.PARTITION_KEY_TYPE,
                schema.SITE_ATTRIBUTE: "S",
                schema.VIEWS_ATTRIBUTE: "N",
            },
            # GET /pages?top=N in one Query: only page items carry `site`, sorted by views.
            index=DynamodbTableGlobalSecondaryIndex(
                name=schema.TOP_PAGES_INDEX,
                hash_key=schema.SITE_ATTRIBUTE,
                range_key=schema.VIEWS_ATTRIBUTE,
                projection_type="ALL",
            ),
            recovery=True,
            protect=protect,
            findings={
                "CKV_AWS_119": "Encrypted with the AWS-managed KMS key; a CMK costs $1/month "
                "and protects nothing more for a public visitor count."
            },
        )
        self.name = self.table.name
        self.arn = self.table.arn
        self.top_pages_index_arn = f"{self.table.arn}/index/{schema.TOP_PAGES_INDEX}"
