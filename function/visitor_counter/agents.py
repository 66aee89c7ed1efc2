"""A view's browser, operating system and device class, from its User-Agent, and its country.

Each is one of a small fixed set: the agent itself is never stored or logged, only a
count of views for each name (``a:{kind}:{name}`` attributes of a day, kind "b", "o",
"d" or "c"). The country is CloudFront's (viewer.country): a two-letter code or "unknown".
Read at count time, the agent's rules are a first match in order, as browsers' own tokens
overlap (Edge's agent says Chrome and Safari too; Chrome on iOS says Safari).
"""

from __future__ import annotations

import re
from typing import Final

from visitor_counter import schema

# (name, pattern), first match wins.
BROWSERS: Final = (
    ("edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("opera", re.compile(r"\b(OPR|Opera)/")),
    ("samsung", re.compile(r"\bSamsungBrowser/")),
    ("firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("chrome", re.compile(r"\b(Chrome|CriOS|Chromium)/")),
    ("safari", re.compile(r"\bVersion/[\d.]+ (Mobile/\S+ )?Safari/")),
)
SYSTEMS: Final = (
    ("ios", re.compile(r"\b(iPhone|iPad|iPod)\b")),
    ("android", re.compile(r"\bAndroid\b")),
    ("chromeos", re.compile(r"\bCrOS\b")),
    ("windows", re.compile(r"\bWindows\b")),
    ("macos", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("linux", re.compile(r"\bLinux\b")),
)
TABLET: Final = re.compile(r"\biPad\b|\bTablet\b")
# iPadOS browsers send a Mac agent; Chrome, Firefox and Edge there still name their iOS
# build (Safari on an iPad cannot be told from Safari on a Mac: it counts as macos).
IOS_BUILD: Final = re.compile(r"\b(CriOS|FxiOS|EdgiOS)/")
MOBILE: Final = re.compile(r"\bMobi(le)?\b|\biPhone\b|\biPod\b")
OTHER: Final = "other"
KINDS: Final = {"b": "browsers", "o": "systems", "d": "devices", "c": "countries"}


def agent_names(user_agent: str, country: str) -> tuple[str, str, str, str]:
    """The attributes a view adds one to: its browser, system, device class and country.

    `country` is viewer.country's answer (two lower-case letters, or "unknown").
    """
    browser = next((name for name, rule in BROWSERS if rule.search(user_agent)), OTHER)
    system = next((name for name, rule in SYSTEMS if rule.search(user_agent)), OTHER)
    if system == "macos" and IOS_BUILD.search(user_agent):
        system, device = "ios", "tablet"
    elif TABLET.search(user_agent) or (system == "android" and not MOBILE.search(user_agent)):
        device = "tablet"
    elif system in ("ios", "android") or MOBILE.search(user_agent):
        device = "mobile"
    else:
        device = "desktop"
    return (
        f"{schema.AGENT_PREFIX}b:{browser}",
        f"{schema.AGENT_PREFIX}o:{system}",
        f"{schema.AGENT_PREFIX}d:{device}",
        f"{schema.AGENT_PREFIX}c:{country}",
    )


def by_kind(agents: dict[str, int]) -> dict[str, list[dict[str, int | str]]]:
    """A range's views by agent attribute, as the stats answer them: each kind's, most first."""
    kinds: dict[str, list[dict[str, int | str]]] = {kind: [] for kind in KINDS.values()}
    for attribute, views in sorted(agents.items(), key=lambda item: (-item[1], item[0])):
        kind, _, name = attribute[len(schema.AGENT_PREFIX) :].partition(":")
        if kind in KINDS and views:
            kinds[KINDS[kind]].append({"name": name, "views": views})
    return kinds
