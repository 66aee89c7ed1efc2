"""Bot rules fast enough for every request, and the maintained crawler list as such rules.

The list (PyPI ``crawler-user-agents``, pinned in requirements/dev.in) is ~1,500
case-sensitive regexes. As one alternation they cost sre 0.4-1.4 ms per browser agent (it
tries every branch at every position), the package's own ``is_crawler`` 0.1-0.4 ms. So at
package time ``resume_tools.artifacts.bot_rules`` reduces each pattern to a literal it cannot
match without, lower-cased, and writes them beside this module as ``crawler_patterns.json``;
matching them here takes 2-5 µs. Every rule is checked against the lower-cased, stripped
agent, which makes the list case-insensitive; the tests' browser corpus checks that this
flags no browser. How a pattern becomes a rule:

- ``^literal`` / ``literal$`` stays anchored: a prefix or suffix rule. (``^Silk/`` is a
  directory crawler; Amazon's Silk browser has ``Silk/`` mid-agent and is no bot.)
- any other literal is reached through one of its words: the agent is split once into words
  (runs of a-z and 0-9), they are probed against a dict, and a hit is confirmed with ``in``.
  ``[wW]get`` gives "wget", ``Ahrefs(Bot|SiteAudit)`` two literals,
  ``ContextualBot[\\s\\S]*outcomes\\.net`` only "contextualbot": a required part of the
  name stands for the whole pattern. The word is the literal's rarest across the list's
  examples, so that browsers' common words ("chrome", "version") find nothing to confirm.
- a literal its own list examples show inside a longer word ("Sonic" in
  "RankSonicSiteAuditor") is a substring rule: a dozen, each a scan of the agent.
- a pattern the generator cannot reduce (none today) stays a regex.

Dropped from the list, because browsers send them (``DROPPED_PATTERNS`` of the generator):

- ``AP3A\\.240617\\.008`` (listed as 80legs): an Android 15 build id. In-app browsers put
  ``Build/AP3A.240617.008`` in their agent; the list's own example is Instagram's.
- ``MetaIAB Facebook`` (listed as Facebook's link preview fetcher): Facebook's in-app
  browser has ended its agent with it since 2025, on iOS and Android.
- ``Sogou``: Sogou's mobile browser sends ``SogouMobileBrowser``. Sogou's crawlers all say
  "spider", which our own rules (counting_rules) catch.
- ``Fluid``: a site-specific browser for macOS, by the list's own description.

Nothing here reads the data file at import: tooling imports the function's modules on a
fresh clone, before anything is packaged. The Lambda reads it at cold start
(``counting_rules.default_bot_rules``, called by ``wiring.build_router`` from the handler's
module scope), so a zip without it fails to start, with the reason, and never counts
crawlers for want of it. ``nox -s package`` writes it (so does every zip build and test
run).
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

DATA_FILE: Final = Path(__file__).with_name("crawler_patterns.json")
# An agent's words are its runs of these; the data file must have been written for the same.
WORD_CHARS: Final = string.digits + string.ascii_lowercase
# Every other byte becomes a space: bytes.translate and split are the cheapest word split.
_TO_WORDS: Final = bytes(byte if chr(byte) in WORD_CHARS else 0x20 for byte in range(256))


class CrawlerListUnavailable(RuntimeError):
    """The data file is missing or was written for another word split: rebuild it."""


@dataclass(frozen=True)
class RuleSet:
    """Bot rules, by how each is checked against a lower-cased, stripped User-Agent."""

    prefixes: frozenset[str] = frozenset()
    suffixes: frozenset[str] = frozenset()
    # A word of the agent, and literals one of which must then be in the agent (none: the
    # word is enough).
    keyed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    substrings: frozenset[str] = frozenset()
    regexes: frozenset[str] = frozenset()

    def __or__(self, other: RuleSet) -> RuleSet:
        keyed = dict(self.keyed)
        for word, literals in other.keyed.items():
            known = keyed.get(word)
            if known is None:
                keyed[word] = literals
            elif known and literals:
                keyed[word] = known | literals
            else:  # no literals: the word alone is enough, whatever else shares it
                keyed[word] = frozenset()
        return RuleSet(
            self.prefixes | other.prefixes,
            self.suffixes | other.suffixes,
            keyed,
            self.substrings | other.substrings,
            self.regexes | other.regexes,
        )


def load_crawler_list(path: Path) -> RuleSet:
    """The crawler list's rules from the data file at `path`."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CrawlerListUnavailable(
            f"{path} is missing. It is generated from the crawler-user-agents list when the "
            "function is packaged: run `nox -s package`."
        ) from None
    if data.get("word_chars") != WORD_CHARS:
        raise CrawlerListUnavailable(
            f"{path} was written for other word characters: run `nox -s package` to rebuild it."
        )
    return RuleSet(
        frozenset(data["prefixes"]),
        frozenset(data["suffixes"]),
        {word: frozenset(literals) for word, literals in data["keyed"].items()},
        frozenset(data["substrings"]),
        frozenset(data["regexes"]),
    )


class Matcher:
    """A RuleSet made fast: each kind of rule in the cheapest form Python has for it."""

    def __init__(self, rules: RuleSet) -> None:
        self._prefixes = tuple(sorted(rules.prefixes))
        self._suffixes = tuple(sorted(rules.suffixes))
        self._keyed = {word.encode(): tuple(sorted(lits)) for word, lits in rules.keyed.items()}
        self._keys = frozenset(self._keyed)
        # Each substring is a scan of the agent; one holding another ("exabot", "bot") adds none.
        subs = rules.substrings
        self._substrings = tuple(sorted(s for s in subs if not any(o in s for o in subs - {s})))
        # The list's own patterns, case-insensitive like every other rule here.
        joined = "|".join(f"(?:{regex})" for regex in sorted(rules.regexes))
        self._regex = re.compile(joined, re.IGNORECASE) if joined else None

    def matches(self, agent: str) -> bool:
        """True if a rule matches `agent`, which must be lower-cased and stripped."""
        if agent.startswith(self._prefixes) or agent.endswith(self._suffixes):
            return True
        # Substrings before words: a browser pays for both, most bots stop at "bot".
        for text in self._substrings:
            if text in agent:
                return True
        words = agent.encode("ascii", "replace").translate(_TO_WORDS).split()
        if not self._keys.isdisjoint(words) and self._confirmed(agent, words):
            return True
        return self._regex is not None and self._regex.search(agent) is not None

    def _confirmed(self, agent: str, words: list[bytes]) -> bool:
        for word in words:
            literals = self._keyed.get(word)
            if literals is not None and (not literals or any(lit in agent for lit in literals)):
                return True
        return False
