"""The API's routes: what API Gateway sends to the function, and which methods each answers.

The one table of them. The router answers each route's methods (and OPTIONS, 404 and 405
itself); the infrastructure creates one `ANY` route per entry (resume.counter_api), so a
path no entry takes is answered 404 by API Gateway without invoking the function, and
gives each route its share of the stage's throttle: HTTP APIs throttle route by route.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Route:
    """One route: its HTTP API path, the methods the handler serves on it, its throttle share.

    A last `{name+}` in the path takes the rest of it.
    """

    path: str
    methods: tuple[str, ...]
    # Percent of the stage's throttle (burst and rate) this route's own token bucket holds.
    throttle_percent: int

    @property
    def key(self) -> str:
        """API Gateway's route key: every method goes to the handler, which answers 405."""
        return f"ANY {self.path}"

    def matches(self, path: str) -> bool:
        """True if a request for `path` is this route's."""
        prefix, greedy, _ = self.path.partition("{")
        if not greedy:
            return path == self.path
        # An empty rest ("/pages/") is the handler's to refuse, with a message saying why.
        return path.startswith(prefix)

    def rest(self, path: str) -> str:
        """What a matching path holds in the route's greedy part (its page, its stats name)."""
        prefix = self.path.partition("{")[0]
        return path[len(prefix) :]


# The shares sum to 100. Every counted view posts to its page; a page that shows the site's
# total also posts to "/" at the same time, so "/" never carries more than the page route.
# One look at the owner's stats page is three reads at once (days, referrers, top pages);
# the top list serves pages that show it and each deploy's smoke check, a few a second.
# GET "/" reads the total without counting: what counter.js shows a browser whose owner
# asked not to be counted.
SITE_TOTAL: Final = Route("/", ("GET", "POST"), throttle_percent=30)
TOP_PAGES: Final = Route("/pages", ("GET",), throttle_percent=10)
PAGE: Final = Route("/pages/{page+}", ("GET", "POST"), throttle_percent=45)
STATS: Final = Route("/stats/{route+}", ("GET",), throttle_percent=15)
ROUTES: Final = (SITE_TOTAL, TOP_PAGES, PAGE, STATS)


def route_of(path: str) -> Route | None:
    """The route a request path is for, None when no route takes it."""
    return next((route for route in ROUTES if route.matches(path)), None)
