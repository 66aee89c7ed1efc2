"""Where a view came from, reduced to a source name: a host, a campaign, or "direct".

Only the host of the referring page is kept (lower-cased, a port dropped, "www." kept as
is), never its path or query. A page's own site, an empty referrer and anything that is not
a web page's address count as "direct"; an IP address or a malformed host as "other". A
`utm_source` on the page's address wins over the referrer, as its own source name.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final
from urllib.parse import urlsplit

from visitor_counter.schema import DIRECT_SOURCE, OTHER_SOURCE

# A DNS host name of at most 64 characters: longer ones are too rare to be worth a column,
# and each source name is twice in the day's item (its set and its counter), whose size is
# what every later view of that day is billed by.
MAX_SOURCE_CHARS: Final = 64
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,{MAX_SOURCE_CHARS}}}$){_LABEL}(?:\.{_LABEL})*$")
_IPV4 = re.compile(r"^[0-9.]+$")
# Campaign names as people write them ("newsletter", "mastodon", "spring-sale_2026").
_CAMPAIGN = re.compile(r"^[a-z0-9][a-z0-9._ -]{0,63}$")
# Sources the product itself names: a campaign may not pose as one.
_RESERVED = frozenset({DIRECT_SOURCE, OTHER_SOURCE})


def referrer_source(referrer: str, utm_source: str, own_hosts: Collection[str]) -> str:
    """The source name of one view.

    `referrer` is the referring page's URL (or just its origin), `utm_source` the campaign
    named on the viewed page's address, `own_hosts` the site's own host names.
    """
    campaign = utm_source.strip().lower()
    if campaign and _CAMPAIGN.fullmatch(campaign) and campaign not in _RESERVED:
        return campaign
    if not referrer.strip():
        return DIRECT_SOURCE
    try:
        parts = urlsplit(referrer.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return OTHER_SOURCE
    if parts.scheme not in ("http", "https"):
        # android-app://, about:, file:, a browser's own pages: not a site that linked here.
        return DIRECT_SOURCE
    if host in own_hosts:
        return DIRECT_SOURCE
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")  # the name as DNS spells it
        except UnicodeError:
            return OTHER_SOURCE
    if ":" in host or _IPV4.fullmatch(host) or not _HOST.fullmatch(host):
        return OTHER_SOURCE
    return host


def is_named(source: str) -> bool:
    """True for a host or a campaign: a source a day keeps by name (not "direct", "other")."""
    return source not in _RESERVED


def hosts_of(origins: Collection[str]) -> frozenset[str]:
    """The host names of the site's origins (scheme://host[:port])."""
    return frozenset((urlsplit(origin).hostname or "").rstrip(".") for origin in origins) - {""}
