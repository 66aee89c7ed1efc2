"""The tables' shape, shared by the handler, the infrastructure and the tests.

Two tables, each with one string key; item kinds are told apart by the key (a site id
never holds '#').

The counter table (point-in-time recovery on: counts are worth restoring):

- ``{site}``                the site total of the original contract: ``visitors``
- ``{site}#page#{page}``    one page: ``views``, ``visitors`` (unique per day), ``page``, and
  its live day: ``day``, ``day_views``, ``day_visitors``, ``day_entries`` (the day's new
  visitors of the site who came in by this page), its referrers, and ``site``, which puts it
  in the live-days index (``site``, ``day``); past the day's cap of unlisted pages, no
  ``site`` (in no index) but ``overflow`` (true) (before, ``site`` was ``{site}#overflow``).
  A view of a later day moves the live day into the history (one transaction) and starts the
  new one. Split (``write_shards``), a page's shards are ``{site}#page#{page}#{n}``
- ``{site}#known-pages``    the pages that may be counted, written by the deploy
- ``{site}#stats-token``    the SHA-256 of the owner's stats token (never the token)

The daily table (no recovery, no backups, TTL: nothing in it outlives its day):

- ``{site}#salt#{day}``     the day's secret salt; deleted the next day, TTL as a backstop
- ``{site}#client#{digest}`` one address today, a keyed hash as the key: ``pages`` (keyed
  tags of the pages it viewed, at most MAX_PAGES_PER_CLIENT_DAY), ``events`` (the tags of
  the events it sent and of each (event, listed page) pair, at most
  MAX_EVENTS_PER_CLIENT_DAY of them), ``seen`` (the tags it
  counted as a unique visitor of), ``h{HH}{tag}`` (its views of a page in the current UTC
  hour; the other hours' are removed), ``visitor`` (a unique visitor of the site today) and
  ``source`` (the keyed tag of the first referrer source it named today)

The history table (point-in-time recovery on, TTL: kept ``stats_retention_days``), keyed by
``ID`` and the UTC ``day``:

- ``{site}#site``, day      the whole site's day: ``views``, ``visitors``, referrers, the sum
  of its pages' past days (each moved here with its page's day) and the views of unlisted
  pages past the day's cap (added one a view); ``estimate``, the day's views as the daily
  ceiling counts them. Its pages' live days are not in it until they move. Split, it is in
  parts ``{site}#site#{n}`` (site_day_parts), the estimate in the first
- ``{site}#unlisted``, day  ``pages``: short hashes of the day's first
  MAX_UNLISTED_PAGES_PER_DAY pages only a glob admits, the ones the range-wide lists show.
  Split, it is several lists by page, ``{site}#unlisted#{n}of{lists}`` (unlisted_lists)
- ``{site}#events``, day    ``names``: the day's event names (events.py)
- ``{site}#event#{name}``, day  one event's day: ``count``, ``visitors``, ``pages`` and a
  ``p:{page}`` count and ``u:{hash}`` unique visitors for each (``p:other`` past the day's
  most); split, in write shards
- ``{site}#page#{page}``, day   one page's past day, moved from its live day: ``views``,
  ``visitors``, ``entries``, referrers, plus ``site`` and ``page``, which put it in the
  pages-by-day index (``site``, ``day``) the range-wide reads query

Referrers of a day: ``refs``, the set of distinct hosts (at most MAX_REFERRER_HOSTS), and
``r:{source}``, the views from each source (``r:direct`` and ``r:other`` included).

Write shards (settings.write_shards, 1 by default: none): every key a view writes, and
every index partition its page's day moves through, is split that many ways by
shard_key: a page's item and its days, the site total, the site's day, and the ``site``
value of a page's item and day (the indexes' partitions). Shard 0 is the key itself, so a
site that never split reads as it always did.
"""

from __future__ import annotations

import re
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
# The history's page days carry it: the pages-by-day index holds them and nothing else.
SITE_ATTRIBUTE: Final = "site"
# A page's live day past the day's cap of unlisted pages (true): no `site`, so in no index.
OVERFLOW_ATTRIBUTE: Final = "overflow"
# The most keys one BatchGetItem takes (the top pages are read this many at a time).
BATCH_GET_KEYS: Final = 100
# DynamoDB deletes items whose expires_at (epoch seconds) has passed: salts and seen-markers.
TTL_ATTRIBUTE: Final = "expires_at"
DEFAULT_TABLE_NAME: Final = "cloud-resume-challenge"
# The daily table's name is the counter table's with this suffix.
DAILY_TABLE_SUFFIX: Final = "-daily"
KNOWN_PAGES_ATTRIBUTE: Final = "pages"
PAGE_PATTERNS_ATTRIBUTE: Final = "patterns"
KNOWN_TARGETS_ATTRIBUTE: Final = "targets"
VISITOR_FLAG_ATTRIBUTE: Final = "visitor"
DEFAULT_SITE_ID: Final = "blog"
# The session tag that names an other site's session of the sites role: its grants hold it
# to that site's keys (visitor_counter.site_sessions, resume.function_grants).
SITE_SESSION_TAG: Final = "site"
# Such a session's length: the most IAM allows a session made with a role's session
# (role chaining, as the function's is), and the sites role's maximum.
SITE_SESSION_S: Final = 3600
# The daily table's client items.
CLIENT_PAGES_ATTRIBUTE: Final = "pages"
CLIENT_SEEN_ATTRIBUTE: Final = "seen"
# The keyed tag of the first referrer source (a host or a campaign) a client named today: the
# one source its views may bring a day that lacks it. One, not a few: a person's day on a
# site has one way in (the views after it come from the site itself, "direct"), a later
# source the day already has still counts by name, and one slot is bounded by itself:
# SET if_not_exists in the update the view makes anyway, no set to cap, no round trip.
CLIENT_SOURCE_ATTRIBUTE: Final = "source"
# At most this many distinct pages an address views in a day (bounds its item: ~9 KB).
MAX_PAGES_PER_CLIENT_DAY: Final = 200
# The events a client's item counts a day (their keyed tags, in ``events``): the site's own
# names and the day's made-up ones, apart from its pages, so events never use up its views.
CLIENT_EVENTS_ATTRIBUTE: Final = "events"
MAX_EVENTS_PER_CLIENT_DAY: Final = 50
# The history table.
HISTORY_TABLE_SUFFIX: Final = "-history"
HISTORY_SORT_KEY: Final = "day"
# A page item's live day: its UTC day (the same attribute name as the history's sort key),
# and the day's counts; the history's page days hold the counts as views, visitors, entries.
DAY_ATTRIBUTE: Final = HISTORY_SORT_KEY
DAY_VIEWS_ATTRIBUTE: Final = "day_views"
DAY_VISITORS_ATTRIBUTE: Final = "day_visitors"
DAY_ENTRIES_ATTRIBUTE: Final = "day_entries"
ENTRIES_ATTRIBUTE: Final = "entries"
LIVE_DAYS_INDEX: Final = "live-days"
# The site's day: its views as the daily ceiling counts them (visitors.PageCounter).
ESTIMATE_ATTRIBUTE: Final = "estimate"
# How long a container keeps the top list it read (unsplit, a view it counts clears it).
TOP_PAGES_FOR_S: Final = 60
# How long a container answers with a split key's other write shards as it last read them
# (a view's answer, POST /'s, a GET of a page).
OTHER_SHARDS_FOR_S: Final = 1.0
# The most ways the hot keys may be split (resume.capacity says how many a throttle needs).
MAX_WRITE_SHARDS: Final = 64
PAGES_BY_DAY_INDEX: Final = "pages-by-day"
REFERRER_HOSTS_ATTRIBUTE: Final = "refs"
REFERRER_PREFIX: Final = "r:"
# A day's views by browser, system and device class (agents.py): ``a:b:firefox`` and so on.
AGENT_PREFIX: Final = "a:"
# Distinct referrer hosts one page keeps a day; later ones count as "other".
MAX_REFERRER_HOSTS: Final = 50
# The site's day (each write shard's) takes a moving page day's most viewed hosts, this many,
# while it has fewer than SITE_DAY_HOSTS: at most 15 hosts, ~2 KB, a few write units a move.
SITE_HOSTS_PER_MOVE: Final = 5
SITE_DAY_HOSTS: Final = 10
# Split (write shards), the site's day is split again, by page: after midnight every page's
# every shard moves its day into the site's day within a second or so, and one site's day a
# shard would take more of those moves than DynamoDB writes to one key (resume.capacity).
SITE_DAY_SPLIT: Final = 3
# A day's pages that only a glob admits (anyone can make up their ids) are in the
# range-wide lists (the pages-by-day index) up to this many; the site's day still counts
# the views of the rest. More pages than a personal site's visitors view in a day, and few
# enough that a year of days flooded with made-up pages (36,500 page days) leaves the stats'
# reads (stats.MAX_PAGE_DAYS) room for the site's own pages.
MAX_UNLISTED_PAGES_PER_DAY: Final = 100
UNLISTED_PAGES_ATTRIBUTE: Final = "pages"
# Split (write shards), every shard of every page in a day's list of unlisted pages reads it,
# and may write it, within a second or so after midnight: the list is split by page so that
# one list has at most this many pages' shards (history_store.list_unlisted_page).
UNLISTED_ASKS_PER_LIST: Final = 400
DIRECT_SOURCE: Final = "direct"
OTHER_SOURCE: Final = "other"
# The counter table's stats-token item.
TOKEN_HASH_ATTRIBUTE: Final = "sha256"  # noqa: S105 - an attribute name, no secret


def shard_key(key: str, shard: int) -> str:
    """One of the write shards of `key`: the key itself for shard 0, ``{key}#{shard}`` else.

    No page id holds '#' (pages.normalize_page), and no other kind of key of the same table
    ends in digits after its last '#' where the unsplit key is a prefix of it (an event's
    name may be digits, but ``{site}#event`` is no key), so a shard's key is no other item's.
    """
    return key if shard == 0 else f"{key}#{shard}"


def site_day_parts(shards: int) -> int:
    """How many items a split site's day is in: SITE_DAY_SPLIT a write shard (1 unsplit)."""
    return 1 if shards == 1 else shards * SITE_DAY_SPLIT


def unlisted_lists(shards: int) -> int:
    """How many lists a day's unlisted pages are in: 1 unsplit, else UNLISTED_ASKS_PER_LIST."""
    if shards == 1:
        return 1
    return max(1, -(-MAX_UNLISTED_PAGES_PER_DAY * shards // UNLISTED_ASKS_PER_LIST))


def unlisted_per_list(shards: int) -> int:
    """How many pages one of a day's lists of unlisted pages takes: its share, rounded up."""
    return -(-MAX_UNLISTED_PAGES_PER_DAY // unlisted_lists(shards))


def unlisted_list_key(site_id: str, page_hash: int, shards: int) -> str:
    """History key of the day's list of unlisted pages a page (by a hash of its id) is in.

    Unsplit, the one list. Split, the count of lists is in the key: a deploy that changes it
    starts lists of its own, so no list holds pages of two splits.
    """
    lists = unlisted_lists(shards)
    if shards == 1:
        return unlisted_pages_key(site_id)
    return f"{unlisted_pages_key(site_id)}#{page_hash % lists}of{lists}"


def page_key(site_id: str, page: str) -> str:
    """Key of a page's counters."""
    return f"{site_id}#page#{page}"


def salt_key(site_id: str, day: str) -> str:
    """Key of the salt for one UTC day (YYYY-MM-DD)."""
    return f"{site_id}#salt#{day}"


def client_key(site_id: str, digest: str) -> str:
    """Key of one address's views today (the digest is keyed by the day's salt)."""
    return f"{site_id}#client#{digest}"


def client_hour_attribute(hour: int, page_tag: str) -> str:
    """The attribute counting a client's views of one page in one UTC hour (0-23)."""
    return f"h{hour:02d}{page_tag}"


def site_history_key(site_id: str) -> str:
    """History key of the whole site's days."""
    return f"{site_id}#site"


def page_history_key(site_id: str, page: str) -> str:
    """History key of one page's days."""
    return page_key(site_id, page)


# An event's name: lower-case letters, digits, ".", "_" and "-", starting with a letter or a
# digit, at most 40 (no markup, no "#" of the keys). A site's allowed names may end in "*"
# (any rest), and "*" alone allows any valid name.
EVENT_NAME: Final = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
# Where an event went (events.event_target): a path of the site ("/files/cv.pdf": RFC
# 3986's path characters, no query, no fragment, nothing that is markup) or another site's
# host by name ("github.com", never its path, which may name a person, nor an address).
MAX_TARGET_CHARS: Final = 100
EVENT_TARGET: Final = re.compile(
    r"/[A-Za-z0-9._~!$&'()*+,;=:@/%-]*|(?:[a-z0-9-]+\.)+[a-z0-9-]*[a-z-][a-z0-9-]*(?::[0-9]{1,5})?"
)


def valid_event_target(text: str) -> bool:
    """Whether `text` is a target the API takes (and the deploy lists): EVENT_TARGET, short."""
    return len(text) <= MAX_TARGET_CHARS and EVENT_TARGET.fullmatch(text) is not None


EVENT_NAMES_ALLOWED: Final = re.compile(r"\*|[a-z0-9][a-z0-9._-]{0,39}\*?")


def event_names_key(site_id: str) -> str:
    """History key of the days' sets of event names (events.MAX_EVENT_NAMES_PER_DAY each)."""
    return f"{site_id}#events"


def event_key(site_id: str, name: str) -> str:
    """History key of one event's days (a name holds no '#': events.EVENT_NAME)."""
    return f"{site_id}#event#{name}"


def unlisted_pages_key(site_id: str) -> str:
    """History key of the days' sets of unlisted pages (the first of each day listed)."""
    return f"{site_id}#unlisted"


def overflow_site(site_id: str) -> str:
    """The `site` unlisted page days past a day's cap had before OVERFLOW_ATTRIBUTE.

    An index partition nobody queries, and one that every made-up page's shard wrote: such
    days now have no `site` (no index entry), and are known by that attribute.
    """
    return f"{site_id}#overflow"


def referrer_attribute(source: str) -> str:
    """The attribute counting a day's views from one referrer source."""
    return f"{REFERRER_PREFIX}{source}"


def stats_token_key(site_id: str) -> str:
    """Key of the item holding the stats token's SHA-256."""
    return f"{site_id}#stats-token"


def stats_token_item(site_id: str, token_sha256: str) -> Item:
    """The stats-token item as `nox -s stats-token` writes it: the hash, never the token."""
    return {
        PARTITION_KEY: {"S": stats_token_key(site_id)},
        TOKEN_HASH_ATTRIBUTE: {"S": token_sha256},
    }


def history_table_name(table_name: str) -> str:
    """The history table that goes with a counter table."""
    return f"{table_name}{HISTORY_TABLE_SUFFIX}"


def known_pages_key(site_id: str) -> str:
    """Key of the list of pages the deploy allows to be counted."""
    return f"{site_id}#known-pages"


def known_pages_item(
    site_id: str, pages: Sequence[str], patterns: Sequence[str], targets: Sequence[str] = ()
) -> Item:
    """The known-pages item as DynamoDB writes it: one page id, pattern or target per line.

    `targets`: where the site's pages link (its files, other sites' hosts): the events'
    targets counted by name; none, no attribute (the item as before targets).
    """
    item = {
        PARTITION_KEY: {"S": known_pages_key(site_id)},
        KNOWN_PAGES_ATTRIBUTE: {"S": "\n".join(pages)},
        PAGE_PATTERNS_ATTRIBUTE: {"S": "\n".join(patterns)},
    }
    if targets:
        item[KNOWN_TARGETS_ATTRIBUTE] = {"S": "\n".join(targets)}
    return item


def daily_table_name(table_name: str) -> str:
    """The daily table that goes with a counter table."""
    return f"{table_name}{DAILY_TABLE_SUFFIX}"
