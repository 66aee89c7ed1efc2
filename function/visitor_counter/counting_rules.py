"""Which requests count as a visit, and which visitors asked not to be tracked.

The rule, in order (the README's "Counting rules" repeats it):

1. No User-Agent, or one that names a crawler, a monitor, a link previewer, a headless
   browser or an HTTP library: a bot. It is answered 200 with the current count and
   counts nothing.
2. No ``Origin``, or one not in ``allowed_origins``: answered 200 with the current count,
   counting nothing. Browsers send ``Origin`` on every cross-origin POST, so a real visit
   always has one; without this rule any page on the web could make its visitors' browsers
   count here (CORS only stops that page reading the answer).
3. ``DNT: 1`` or ``Sec-GPC: 1``: the view counts, but no visitor hash is computed or stored,
   so the visit never adds to unique visitors.
4. Anything else: a view, and a unique visitor the first time that day for that page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

# Lower-case substrings of the User-Agents of common crawlers and non-browser clients.
# Browsers' UAs contain none of them. (Plain `in` tests: ~10x faster than one regex.)
BOT_USER_AGENT_MARKERS: Final = (
    "bot", "crawl", "spider", "slurp", "scrap", "archiver", "headless", "phantomjs",
    "lighthouse", "pingdom", "uptime", "monitor", "preview", "facebookexternalhit", "embedly",
    "curl/", "wget/", "httpie", "python-", "aiohttp", "go-http-client", "okhttp", "java/",
    "libwww", "axios", "node-fetch", "undici", "postman",
)  # fmt: skip
# Browsers whose UA happens to contain a marker: "CUBOT" phones contain "bot".
NOT_BOT_NAMES: Final = ("cubot",)
OPT_OUT_HEADERS: Final = ("dnt", "sec-gpc")


def is_bot(user_agent: str) -> bool:
    """True for a missing User-Agent or one of a known crawler or HTTP library."""
    agent = user_agent.strip().lower()
    if not agent:
        return True
    for name in NOT_BOT_NAMES:
        agent = agent.replace(name, "")
    return any(marker in agent for marker in BOT_USER_AGENT_MARKERS)


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
