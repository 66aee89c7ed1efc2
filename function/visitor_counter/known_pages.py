"""Which pages may be counted: the site's own pages, and pages matching the owner's globs.

Without this rule anyone could create page items by POSTing made-up ids: items that never
expire, cost writes, and push real pages off the top list. The deploy writes one item,
``{site}#known-pages`` (resume.known_pages_item), holding the page ids of the uploaded site
and the config's ``page_patterns``, one per line. The function reads it at its first page
view and again every few minutes, so a site deploy's new pages count within minutes.

Patterns are page ids with globs: ``*`` is any text within one path segment, ``**`` any
text across segments: ``/posts/*`` matches ``/posts/hello`` but not ``/posts/a/b``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from visitor_counter.errors import CountUnavailable
from visitor_counter.page_patterns import InvalidPattern, pattern_regex


@dataclass(frozen=True)
class KnownPages:
    """The page ids and patterns of one site; `allows` is a set lookup, then the patterns."""

    pages: frozenset[str]
    patterns: re.Pattern[str] | None

    @classmethod
    def of(cls, pages: Iterable[str], patterns: Iterable[str]) -> KnownPages:
        """From page ids (normalized) and glob patterns (raise InvalidPattern on a bad one)."""
        regexes = [pattern_regex(pattern) for pattern in patterns]
        combined = re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None
        return cls(frozenset(pages), combined)

    def allows(self, page: str) -> bool:
        """True if `page` (a normalized page id) may be counted."""
        if page in self.pages:
            return True
        return self.patterns is not None and self.patterns.fullmatch(page) is not None


NO_PAGES = KnownPages(frozenset(), None)


class KnownPagesReader(Protocol):
    """Where the list lives: (page ids, patterns), or None when the deploy wrote none."""

    def known_pages(self) -> tuple[list[str], list[str]] | None: ...


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
