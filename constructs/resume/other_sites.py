"""The deployment's other sites: what the config's `sites` entries say, checked.

An entry is one line of words: the site's id, then its origins (`https://…`), then its
pages as globs (`/…`, as `page_patterns`; at least one: a site hosted elsewhere lists its
pages, or anyone could make up page ids to count; `/**` admits any, capped a day):
`"shop https://shop.example https://www.shop.example /products/**"`.
Each site is counted, stored and read apart under its id (visitor_counter.sites), with a
stats token of its own; the function's grants name every site's keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from visitor_counter.page_patterns import InvalidPattern, pattern_regex
from visitor_counter.settings import parse_origin

# Lower case, digits and inner hyphens: a key prefix ("shop#page#/") and a query value.
SITE_ID: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
# Each site adds the function's six metrics to the bill (resume_tools.bench.cost), and its
# keys to the role's grants: a handful, not a hosting platform.
MAX_OTHER_SITES: Final = 10
# Origins a site names at most (the function's environment holds them all, 4 KB in all).
MAX_SITE_ORIGINS: Final = 10


@dataclass(frozen=True)
class OtherSite:
    """One of the deployment's other sites."""

    site_id: str
    origins: tuple[str, ...]
    pages: tuple[str, ...]


def parse_site(entry: str) -> OtherSite:
    """An entry of `sites` as a site; ValueError saying what is wrong."""
    words = entry.split()
    if not words or not SITE_ID.fullmatch(words[0]):
        raise ValueError(
            f"{entry[:40]!r} must start with a site id (lower-case letters, digits, inner "
            "hyphens, at most 32)"
        )
    site, rest = words[0], words[1:]
    origins = tuple(parse_origin(word) for word in rest if not word.startswith("/"))
    pages = tuple(word for word in rest if word.startswith("/"))
    if not origins:
        raise ValueError(f"{site}: name at least one origin its pages are served from")
    if not pages:
        raise ValueError(f"{site}: name its pages, as globs starting with / ('/**': any)")
    for page in pages:
        try:
            pattern_regex(page)
        except InvalidPattern as exc:
            raise ValueError(f"{site}: {exc}") from None
    return OtherSite(site, origins, pages)
