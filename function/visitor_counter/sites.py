"""Several sites in one deployment: which site's router answers a request.

Each site has a router of its own (wiring.build_router with the site's id and origins):
its own items, known pages, ceiling, token and metrics. A request belongs to the site
whose origins name its Origin header (a browser sends one on every cross-origin request);
any other (the first site's own pages through its /api/, the original contract's test
clients, a page's GET from its own origin) to the deployment's first site. A stats request
names its site in `site=` (the first site without it): that site's router checks that
site's token, so one site's token never reads another's stats.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from visitor_counter.counting_rules import origin_allowed
from visitor_counter.http import Response
from visitor_counter.router import SITE_PARAMETER, Router
from visitor_counter.routes import STATS


class Sites:
    """The deployment's sites: the first, and the others by origin and by `site=`."""

    def __init__(self, first: Router, others: Mapping[str, tuple[Router, frozenset[str]]]) -> None:
        """`others`: {site id: (its router, its allowed origins)}."""
        self._first = first
        self._others = dict(others)

    def handle(self, event: Mapping[str, Any], fallback_request_id: str = "") -> Response:
        """Answer one API Gateway event with its site's router."""
        return self._router_for(event).handle(event, fallback_request_id)

    def _router_for(self, event: Mapping[str, Any]) -> Router:
        if not self._others or not isinstance(event, Mapping):
            return self._first
        path = str(event.get("rawPath") or "")
        if STATS.matches(path):
            # An unknown site goes to the first site, whose router refuses it by name.
            query = str(event.get("rawQueryString") or "")
            named = dict(parse_qsl(query, keep_blank_values=True)).get(SITE_PARAMETER)
            found = self._others.get(named or "")
            return found[0] if found else self._first
        headers = event.get("headers")
        origin = next(
            (
                value
                for name, value in (headers.items() if isinstance(headers, Mapping) else ())
                if isinstance(name, str) and name.lower() == "origin"
            ),
            None,
        )
        for router, origins in self._others.values():
            if isinstance(origin, str) and origin_allowed(origin, origins):
                return router
        return self._first
