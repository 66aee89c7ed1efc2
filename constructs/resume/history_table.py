"""The history table: views, visitors and referrers per UTC day, of each page and the site."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTableGlobalSecondaryIndex

from constructs import Construct
from resume.tables import on_demand_table
from visitor_counter import schema

# What the range-wide reads (top pages, the CSV export) need of each page's day: the index
# leaves the referrers out, so its entries stay small (the site's day sums them instead).
PAGES_BY_DAY_ATTRIBUTES = (
    schema.PAGE_ATTRIBUTE,
    schema.VIEWS_ATTRIBUTE,
    schema.PAGE_VISITORS_ATTRIBUTE,
)


class HistoryTable(Construct):
    """On-demand table keyed by item and day, recoverable, days expiring by their TTL."""

    def __init__(self, scope: Construct, id_: str, *, table_name: str, protect: bool) -> None:
        super().__init__(scope, id_)
        self.table = on_demand_table(
            self,
            name=table_name,
            range_key=schema.HISTORY_SORT_KEY,
            key_types={
                schema.PARTITION_KEY: schema.PARTITION_KEY_TYPE,
                schema.HISTORY_SORT_KEY: "S",
                schema.SITE_ATTRIBUTE: "S",
            },
            # Every page's days of a range in one Query: only page days carry `site`. A
            # page's day is written once, whole, when it is past (live_pages): one entry
            # write a page day, not one a view.
            index=DynamodbTableGlobalSecondaryIndex(
                name=schema.PAGES_BY_DAY_INDEX,
                hash_key=schema.SITE_ATTRIBUTE,
                range_key=schema.HISTORY_SORT_KEY,
                projection_type="INCLUDE",
                non_key_attributes=list(PAGES_BY_DAY_ATTRIBUTES),
            ),
            # Counts are worth restoring; the history holds no visitor's data.
            recovery=True,
            protect=protect,
            findings={
                "CKV_AWS_119": "Encrypted with the AWS-managed KMS key; a CMK costs $1/month "
                "and protects nothing more for public page counts."
            },
        )
        self.name = self.table.name
        self.arn = self.table.arn
        self.pages_by_day_index_arn = f"{self.table.arn}/index/{schema.PAGES_BY_DAY_INDEX}"
