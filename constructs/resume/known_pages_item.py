"""The list of pages the counter may count: the uploaded site's pages and the config's globs.

Written as one item of the counter table (the function reads it, visitor_counter.known_pages),
so the list can be as long as a static site gets, beyond Lambda's 4 KB of environment.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from cdktf_cdktf_provider_aws.dynamodb_table_item import DynamodbTableItem

from constructs import Construct
from resume.config import ConfigError
from visitor_counter import schema

# DynamoDB's item limit is 400 KB; keep room for the key and the patterns.
MAX_LIST_BYTES = 350_000


def known_pages_item(
    site_id: str, pages: Sequence[str], patterns: Sequence[str], targets: Sequence[str] = ()
) -> str:
    """The item as DynamoDB JSON (schema.known_pages_item), refused when over one item's size."""
    text = json.dumps(schema.known_pages_item(site_id, pages, patterns, targets), sort_keys=True)
    if len(text.encode()) > MAX_LIST_BYTES:
        raise ConfigError(
            f"the site has {len(pages)} pages, more than one DynamoDB item holds: "
            "list them with page_patterns (globs such as /posts/*) instead"
        )
    return text


class KnownPagesItem(Construct):
    """The known-pages item, replaced by each deploy whose site or patterns changed."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        table_name: str,
        site_id: str,
        pages: Sequence[str],
        patterns: Sequence[str],
        targets: Sequence[str] = (),
    ) -> None:
        """`targets`: where the site's pages link (resume.site_pages.site_link_targets)."""
        super().__init__(scope, id_)
        self.item = DynamodbTableItem(
            self,
            "item",
            table_name=table_name,
            hash_key=schema.PARTITION_KEY,
            item=known_pages_item(site_id, pages, patterns, targets),
        )
