"""Which pages may be counted: the site's own pages, and pages matching the owner's globs.

Without this rule anyone could create page items by POSTing made-up ids: items that never
expire, cost writes, and push real pages off the top list. The deploy writes one item,
``{site}#known-pages`` (resume.known_pages_item), holding the page ids of the uploaded site
and the config's ``page_patterns``, one per line. The function reads it at its first page
view and again every few minutes, so a site deploy's new pages count within minutes.

Patterns are page ids with globs: ``*`` is any text within one path segment, ``**`` any
text across segments: ``/posts/*`` matches ``/posts/hello`` but not ``/posts/a/b``.

A page is *listed* when the site names it exactly: one of its HTML files, or a pattern
without a wildcard. A glob admits pages nobody named, so anyone can make up ids it matches:
such pages count, but stay out of the public top list (see page_store).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from visitor_counter.errors import CountUnavailable
from visitor_counter.page_patterns import InvalidPattern, literal_page, pattern_regex


@dataclass(frozen=True)
class KnownPages:
    """The listed page ids and the globs of one site; a set lookup, then the globs."""

    pages: frozenset[str]
    patterns: re.Pattern[str] | None
    # Where the site's pages link (its files, other sites' hosts): the events' targets
    # counted by name; any other target counts as "other" (events.py).
    targets: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, pages: Iterable[str], patterns: Iterable[str], targets: Iterable[str] = ()
    ) -> KnownPages:
        """From page ids (normalized), patterns and link targets.

        A bad pattern raises InvalidPattern.
        """
        listed = set(pages)
        regexes = []
        for pattern in patterns:
            regex = pattern_regex(pattern)
            literal = literal_page(pattern)
            if literal is None:
                regexes.append(regex)
            else:
                listed.add(literal)
        combined = re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None
        return cls(frozenset(listed), combined, frozenset(targets))

    def allows(self, page: str) -> bool:
        """True if `page` (a normalized page id) may be counted: listed, or a glob's."""
        if self.lists(page):
            return True
        return self.patterns is not None and self.patterns.fullmatch(page) is not None

    def lists(self, page: str) -> bool:
        """True if the site names `page` exactly, so no visitor can have made it up."""
        return page in self.pages


NO_PAGES = KnownPages(frozenset(), None)


class KnownPagesReader(Protocol):
    """Where the list lives: (page ids, patterns, targets), or None when the deploy wrote none."""

    def known_pages(self) -> tuple[list[str], list[str], list[str]] | None: ...


class KnownPagesCache:
    """The site's known pages, read once per `refresh_s` per container (one GetItem)."""

    def __init__(
        self,
        reader: KnownPagesReader,
        refresh_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reader = reader
        self._refresh_s = refresh_s
        self._clock = clock
        self._cached: tuple[KnownPages, float] | None = None  # the list, when to read again

    def current(self) -> KnownPages:
        """The list; no item means no page is countable (the deploy always writes one)."""
        now = self._clock()
        if self._cached is None or now >= self._cached[1]:
            found = self._reader.known_pages()
            try:
                known = NO_PAGES if found is None else KnownPages.of(*found)
            except InvalidPattern as exc:  # the deploy validates them: a hand-edited item
                raise CountUnavailable(f"the known-pages item holds a bad pattern: {exc}") from None
            self._cached = (known, now + self._refresh_s)
        return self._cached[0]
