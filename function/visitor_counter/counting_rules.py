"""Which requests count as a visit, and which visitors asked not to be tracked.

The rule, in order (the README's "Counting rules" repeats it):

1. No User-Agent, or one that names a crawler, a monitor, a link previewer, a headless
   browser or an HTTP library (our own rules below, and the crawler-user-agents list's,
   bots.py): a bot. It is answered 200 with the current count and counts nothing.
2. No ``Origin``, or one not in ``allowed_origins``: answered 200 with the current count,
   counting nothing. Browsers send ``Origin`` on every cross-origin POST, so a real visit
   always has one; without this rule any page on the web could make its visitors' browsers
   count here (CORS only stops that page reading the answer).
3. ``DNT: 1`` or ``Sec-GPC: 1``: the view counts, but no visitor hash is computed or stored,
   so the visit never adds to unique visitors.
4. Anything else: a view, and a unique visitor the first time that day for that page.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from visitor_counter.bots import DATA_FILE, Matcher, RuleSet, load_crawler_list

# Our own rules, beside the maintained crawler list (bots.py), both over the lower-cased agent.
# Words (runs of a-z, 0-9) no browser sends: headless and automated browsers, HTTP libraries
# and tools, and a URL's "http", "https" or "www" (crawlers sign with a URL, browsers never).
# A word costs one hash probe, a substring a scan of the agent: words wherever they will do.
BOT_WORDS: Final = frozenset({
    "headlesschrome", "phantomjs", "lighthouse", "puppeteer", "playwright", "selenium",
    "webdriver",
    "curl", "wget", "httpie", "python", "aiohttp", "httpx", "okhttp", "java", "libwww",
    "axios", "undici", "postman", "postmanruntime", "guzzlehttp", "scrapy",
    "http", "https", "www",
})  # fmt: skip
# Parts of words that name a crawler whatever else the word holds ("Googlebot", "robot",
# "Baiduspider", "webcrawler"): a net for bots the list does not know yet.
BOT_SUBSTRINGS: Final = frozenset({"bot", "crawl", "spider"})
# A word that names a bot only within a longer name: "fetch" in "node-fetch". (Go's
# "Go-http-client" needs no pair: it has the word "http".)
BOT_WORD_PAIRS: Final = {"fetch": frozenset({"node-fetch"})}
# Browsers whose UA happens to contain a marker: "CUBOT" phones contain "bot".
NOT_BOT_NAMES: Final = ("cubot",)
OUR_RULES: Final = RuleSet(
    keyed={**dict.fromkeys(BOT_WORDS, frozenset()), **BOT_WORD_PAIRS},
    substrings=BOT_SUBSTRINGS,
)
OPT_OUT_HEADERS: Final = ("dnt", "sec-gpc")


class BotRules:
    """Our rules and the crawler list's, as one matcher: built once per container."""

    def __init__(self, crawler_list: RuleSet) -> None:
        self._matcher = Matcher(crawler_list | OUR_RULES)

    def is_bot(self, user_agent: str) -> bool:
        """True for a missing User-Agent, one with our markers, or one the crawler list names."""
        agent = user_agent.strip().lower()
        if not agent:
            return True
        for name in NOT_BOT_NAMES:
            if name in agent:
                agent = agent.replace(name, "")
        return self._matcher.matches(agent)


def load_bot_rules(data_file: Path = DATA_FILE) -> BotRules:
    """The bot rules, with the crawler list read from `data_file` (or CrawlerListUnavailable)."""
    return BotRules(load_crawler_list(data_file))


@functools.cache
def default_bot_rules() -> BotRules:
    """The rules of the data file packaged beside the function, read once per process."""
    return load_bot_rules()


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    """True if `origin` (an Origin header, case and a trailing slash aside) is allowed."""
    return origin is not None and origin.lower().rstrip("/") in allowed


def origin_verdict(origin: str | None, allowed: frozenset[str]) -> str:
    """Say "allowed", "foreign" or "missing": all a log line says of a request's Origin."""
    if origin is None or not origin.strip():
        return "missing"
    return "allowed" if origin_allowed(origin, allowed) else "foreign"


def opted_out(headers: Mapping[str, str]) -> bool:
    """True when the browser sends Do Not Track or Global Privacy Control (lower-cased names)."""
    return any(headers.get(name, "").strip() == "1" for name in OPT_OUT_HEADERS)
