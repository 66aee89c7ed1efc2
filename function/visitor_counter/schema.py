"""The counter table's shape, shared by the handler, the infrastructure and the tests.

One table, one string key. Item kinds, told apart by the key (a site id never holds '#'):

- ``{site}``                the site total of the original contract: ``visitors``
- ``{site}#page#{page}``    one page: ``views``, ``visitors`` (unique per day), ``page``, ``site``
- ``{site}#salt#{day}``     the day's secret salt; deleted the next day, TTL as a backstop
- ``{site}#seen#{digest}``  "this visitor saw this page today": a keyed hash and a TTL, nothing else
"""

from __future__ import annotations

from typing import Final

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
DEFAULT_SITE_ID: Final = "blog"


def page_key(site_id: str, page: str) -> str:
    """Key of a page's counters."""
    return f"{site_id}#page#{page}"


def salt_key(site_id: str, day: str) -> str:
    """Key of the salt for one UTC day (YYYY-MM-DD)."""
    return f"{site_id}#salt#{day}"


def seen_key(site_id: str, digest: str) -> str:
    """Key of a seen-marker: a visitor's keyed hash for one page and one day."""
    return f"{site_id}#seen#{digest}"
