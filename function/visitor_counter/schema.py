"""The tables' shape, shared by the handler, the infrastructure and the tests.

Two tables, each with one string key; item kinds are told apart by the key (a site id
never holds '#').

The counter table (point-in-time recovery on: counts are worth restoring):

- ``{site}``                the site total of the original contract: ``visitors``
- ``{site}#page#{page}``    one page: ``views``, ``visitors`` (unique per day), ``page``, ``site``
- ``{site}#known-pages``    the pages that may be counted, written by the deploy

The daily table (no recovery, no backups, TTL: nothing in it outlives its day):

- ``{site}#salt#{day}``     the day's secret salt; deleted the next day, TTL as a backstop
- ``{site}#client#{digest}`` one address's views of one page today: a keyed hash as the key,
  views per UTC hour (``h00``..``h23``), ``visitor`` once it counted as a unique visitor
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

# An item in DynamoDB's attribute-value form.
Item = dict[str, dict[str, str]]

PARTITION_KEY: Final = "ID"
PARTITION_KEY_TYPE: Final = "S"
# The site total of the original contract ({site} item) and a page's unique visitors
# ({site}#page#{page} items) are both stored as "visitors", on different items.
SITE_TOTAL_ATTRIBUTE: Final = "visitors"
PAGE_VISITORS_ATTRIBUTE: Final = "visitors"
VIEWS_ATTRIBUTE: Final = "views"
PAGE_ATTRIBUTE: Final = "page"
SALT_ATTRIBUTE: Final = "salt"
# Only page items carry it: the top-pages index holds pages and nothing else.
SITE_ATTRIBUTE: Final = "site"
TOP_PAGES_INDEX: Final = "top-pages"
# DynamoDB deletes items whose expires_at (epoch seconds) has passed: salts and seen-markers.
TTL_ATTRIBUTE: Final = "expires_at"
DEFAULT_TABLE_NAME: Final = "cloud-resume-challenge"
# The daily table's name is the counter table's with this suffix.
DAILY_TABLE_SUFFIX: Final = "-daily"
KNOWN_PAGES_ATTRIBUTE: Final = "pages"
PAGE_PATTERNS_ATTRIBUTE: Final = "patterns"
VISITOR_FLAG_ATTRIBUTE: Final = "visitor"
DEFAULT_SITE_ID: Final = "blog"


def page_key(site_id: str, page: str) -> str:
    """Key of a page's counters."""
    return f"{site_id}#page#{page}"


def salt_key(site_id: str, day: str) -> str:
    """Key of the salt for one UTC day (YYYY-MM-DD)."""
    return f"{site_id}#salt#{day}"


def client_key(site_id: str, digest: str) -> str:
    """Key of one address's views of one page today (the digest is keyed by the day's salt)."""
    return f"{site_id}#client#{digest}"


def known_pages_key(site_id: str) -> str:
    """Key of the list of pages the deploy allows to be counted."""
    return f"{site_id}#known-pages"


def known_pages_item(site_id: str, pages: Sequence[str], patterns: Sequence[str]) -> Item:
    """The known-pages item as DynamoDB writes it: one page id, or one pattern, per line."""
    return {
        PARTITION_KEY: {"S": known_pages_key(site_id)},
        KNOWN_PAGES_ATTRIBUTE: {"S": "\n".join(pages)},
        PAGE_PATTERNS_ATTRIBUTE: {"S": "\n".join(patterns)},
    }


def hour_attribute(hour: int) -> str:
    """The attribute counting a client's views in one UTC hour (0-23)."""
    return f"h{hour:02d}"


def daily_table_name(table_name: str) -> str:
    """The daily table that goes with a counter table."""
    return f"{table_name}{DAILY_TABLE_SUFFIX}"
