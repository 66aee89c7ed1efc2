"""The DynamoDB table that stores the counters, keyed as the handler expects."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTableGlobalSecondaryIndex

from constructs import Construct
from resume.tables import on_demand_table
from visitor_counter import schema


class CounterTable(Construct):
    """On-demand table with point-in-time recovery, encryption and a TTL; one index.

    The live-days index (``site``, ``day``) finds the pages' live days of a range: keys
    only, so a view (which changes neither) writes no entry; a page's new day moves its
    entry (two write units, once a day). The top pages are read by key (the site's listed
    pages), not from an index sorted by views: such an index moves a page's entry on every
    view, two write units more a view.
    """

    def __init__(self, scope: Construct, id_: str, *, table_name: str, protect: bool) -> None:
        super().__init__(scope, id_)
        self.table = on_demand_table(
            self,
            name=table_name,
            key_types={
                schema.PARTITION_KEY: schema.PARTITION_KEY_TYPE,
                schema.SITE_ATTRIBUTE: "S",
                schema.DAY_ATTRIBUTE: "S",
            },
            index=DynamodbTableGlobalSecondaryIndex(
                name=schema.LIVE_DAYS_INDEX,
                hash_key=schema.SITE_ATTRIBUTE,
                range_key=schema.DAY_ATTRIBUTE,
                projection_type="KEYS_ONLY",
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
        self.live_days_index_arn = f"{self.table.arn}/index/{schema.LIVE_DAYS_INDEX}"
