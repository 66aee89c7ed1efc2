"""The counter's HTTP behaviour: which request counts, and what each outcome answers.

Routes (anything else is 404; a known path with another method is 405 with Allow):

- ``POST /``                the original contract: count a hit of the site, ``{"visitors": N}``
- ``POST /pages/{page}``    count a view of a known page, ``{"page", "views", "visitors"}``
- ``GET /pages/{page}``     read a page's counts without counting
- ``GET /pages?top=10``     the most viewed of the pages the site lists, ``{"pages": [...]}``
- ``GET /stats/daily``, ``/stats/pages``, ``/stats/referrers``, ``/stats/export.csv``
                            the owner's history (resume.stats), behind the stats token
- ``OPTIONS`` on each       the CORS preflight

A page view's body, when it has one, is JSON: ``{"referrer": "...", "utm_source": "..."}``
(counter.js sends the referring page's origin); without it the Referer header stands in.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from visitor_counter.agents import agent_names
from visitor_counter.counting_rules import BotRules, opted_out, origin_verdict
from visitor_counter.errors import (
    BadRequest,
    CeilingReached,
    CountUnavailable,
    StoreUnavailable,
)
from visitor_counter.event_input import TARGET_WITHOUT_EVENT, event_name, event_target
from visitor_counter.events import EventCounter
from visitor_counter.http import (
    CORS_HEADERS,
    STATS_CORS_HEADERS,
    Request,
    Response,
    cors_headers,
    empty_response,
    json_response,
    parse_request,
    route_key,
    text_response,
    whole_number,
)
from visitor_counter.known_pages import KnownPages, KnownPagesCache
from visitor_counter.page_store import PageCounts
from visitor_counter.pages import InvalidPage, normalize_page
from visitor_counter.referrers import hosts_of, referrer_source
from visitor_counter.routes import PAGE, SITE_TOTAL, STATS, TOP_PAGES, Route, route_of
from visitor_counter.settings import Settings
from visitor_counter.stats import StatsQuery, StatsReader, TextBody, parse_query
from visitor_counter.stats_access import StatsGate
from visitor_counter.store import SiteTotal
from visitor_counter.telemetry import RequestLog, RequestRecord
from visitor_counter.visitors import PageCounter

# The stats routes' parameter naming a site of the deployment (sites.py).
SITE_PARAMETER = "site"
UNKNOWN_SITE = "This deployment counts no site {site!r}."

COUNT_UNAVAILABLE = "Visitor count unavailable."
RETRY_LATER = "Visitor count temporarily unavailable, please retry later."
CEILING_REACHED = (
    "This site counted its most views for today (max_views_per_day); counting resumes at 00:00 UTC."
)
NOT_FOUND = "Not found."
UNKNOWN_PAGE = (
    "Page {page!r} is not one of this site's pages, so it is not counted: the deploy lists "
    "the site's pages, and the page_patterns setting adds others."
)
METHOD_NOT_ALLOWED = "Method not allowed."
VIEW_FIELDS = ("referrer", "utm_source", "event", "target")
BAD_VIEW_BODY = (
    'A page view\'s body must be empty or a JSON object like {"referrer": '
    '"https://example.com", "utm_source": "newsletter"} (or {"event": "cv-download"}, an '
    'event on the page, with "target" where it went) with string values.'
)
DEFAULT_TOP = 10
MAX_TOP = 100


@dataclass(frozen=True)
class _Result:
    response: Response
    outcome: str
    request_id: str = ""
    error_type: str | None = None
    store_error: bool = False
    new_visitor: bool = False


# What one route does with a parsed request: its answer (JSON, or text of its own type),
# its outcome, a new visitor?
_Action = Callable[[Request], tuple[dict[str, Any] | TextBody, str, bool]]


class Router:
    """Serves the routes above for one site; never raises, never leaks internals."""

    def __init__(
        self,
        settings: Settings,
        bots: BotRules,
        site_total: SiteTotal,
        pages: PageCounter,
        events: EventCounter,
        known_pages: KnownPagesCache,
        stats: StatsReader,
        stats_gate: StatsGate,
        requests: RequestLog,
    ) -> None:
        self._settings = settings
        self._bots = bots
        self._site_total = site_total
        self._pages = pages
        self._events = events
        self._known_pages = known_pages
        self._stats = stats
        self._stats_gate = stats_gate
        self._requests = requests
        self._own_hosts = hosts_of(settings.allowed_origins)
        self._stats_routes: dict[str, tuple[tuple[str, ...], Callable[[StatsQuery], Any]]] = {
            "daily": (("from", "to", "page"), stats.daily),
            "pages": (("from", "to", "limit"), stats.pages),
            "referrers": (("from", "to", "page"), stats.referrers),
            "export.csv": (("from", "to"), stats.export_csv),
            "events": (("from", "to", "page"), stats.events),
        }
        # What each route's methods do (routes.ROUTES says which methods a route has).
        self._actions: dict[Route, dict[str, _Action]] = {
            SITE_TOTAL: {"GET": self._read_site, "POST": self._count_site},
            TOP_PAGES: {"GET": self._top_pages},
            PAGE: {"GET": self._read_page, "POST": self._count_page},
            STATS: {"GET": self._read_stats},
        }
        self._cold = True

    def handle(self, event: Mapping[str, Any], fallback_request_id: str = "") -> Response:
        """Answer one API Gateway event."""
        started = time.perf_counter()
        try:
            result = self._route(event)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: JSON, no trace
            response = json_response(500, {"error": COUNT_UNAVAILABLE}, {})
            result = _Result(response, "error", error_type=type(exc).__name__)
        self._requests.write(
            RequestRecord(
                request_id=result.request_id or fallback_request_id,
                route=route_key(event),
                status=result.response["statusCode"],
                latency_ms=(time.perf_counter() - started) * 1000,
                cold_start=self._cold,
                outcome=result.outcome,
                error_type=result.error_type,
                store_error=result.store_error,
                new_visitor=result.new_visitor,
            )
        )
        self._cold = False
        return result.response

    def _route(self, event: Mapping[str, Any]) -> _Result:
        try:
            request = parse_request(
                event,
                max_body_bytes=self._settings.max_body_bytes,
                max_header_bytes=self._settings.max_header_bytes,
                origin_secret=self._settings.origin_secret,
            )
        except BadRequest as exc:
            return _Result(json_response(exc.status, {"error": exc.message}, {}), "rejected")
        actions = self._actions_for(request.path)
        if actions is None:
            cors = cors_headers(request.origin, self._counting_origins(request))
            response = json_response(404, {"error": NOT_FOUND}, cors)
            return _Result(response, "rejected", request.request_id)
        methods = ", ".join([*actions, "OPTIONS"])
        headers = STATS_CORS_HEADERS if STATS.matches(request.path) else CORS_HEADERS
        allowed = self._counting_origins(request)
        cors = cors_headers(
            request.origin,
            allowed,
            methods=methods,
            request_headers=headers,
        )
        if request.method == "OPTIONS":
            preflight = cors_headers(
                request.origin,
                allowed,
                methods=methods,
                request_headers=headers,
                max_age_s=self._settings.cors_max_age_s,
            )
            return _Result(empty_response(204, preflight), "preflight", request.request_id)
        action = actions.get(request.method)
        if action is None:
            response = json_response(405, {"error": METHOD_NOT_ALLOWED}, {**cors, "Allow": methods})
            return _Result(response, "rejected", request.request_id)
        return _answer(action, request, cors)

    def _actions_for(self, path: str) -> dict[str, _Action] | None:
        route = route_of(path)
        if route is None or (route == STATS and STATS.rest(path) not in self._stats_routes):
            return None
        return self._actions[route]

    def _uncounted(self, request: Request) -> str | None:
        """Why a counting request counts nothing (an outcome), or None if it counts."""
        if self._bots.is_bot(request.user_agent):
            return "bot"
        verdict = origin_verdict(request.origin, self._counting_origins(request))
        return None if verdict == "allowed" else f"{verdict}_origin"

    def _counting_origins(self, request: Request) -> frozenset[str]:
        """The configured origins, and the site's own when the request came through it.

        What CORS allows too: the deploy's smoke check proves the secret reaches the
        function with a preflight from the site's origin through its /api/.
        """
        own = request.viewer.site_origin
        allowed = self._settings.allowed_origins
        return allowed | {own} if own else allowed

    def _count_site(self, request: Request) -> tuple[dict[str, Any], str, bool]:
        site = self._settings.site_id
        uncounted = self._uncounted(request)
        if uncounted:
            return {"visitors": self._site_total.read(site)}, uncounted, False
        self._pages.check_ceiling()
        return {"visitors": self._site_total.increment(site)}, "counted", False

    def _read_site(self, request: Request) -> tuple[dict[str, Any], str, bool]:
        return {"visitors": self._site_total.read(self._settings.site_id)}, "read", False

    def _count_page(self, request: Request) -> tuple[dict[str, Any], str, bool]:
        page = _page_of(request)
        known = self._known_pages.current()
        if not known.allows(page):
            raise BadRequest(404, UNKNOWN_PAGE.format(page=page))
        fields = _view_fields(request.body)
        if "event" in fields:
            return self._count_event(request, page, fields, known)
        if "target" in fields:
            raise BadRequest(400, TARGET_WITHOUT_EVENT)
        uncounted = self._uncounted(request)
        if uncounted:
            counts = self._pages.read(page) or PageCounts(page, 0, 0)
            return counts.as_json(), uncounted, False
        view = self._pages.count(
            page,
            request.viewer.address,
            track=not opted_out(request.headers),
            source=self._source(request, fields),
            listed=known.lists(page),
            agents=agent_names(request.user_agent or "", request.viewer.country),
        )
        outcome = "counted" if view.counted else "client_limit"
        return view.counts.as_json(), outcome, view.new_visitor

    def _count_event(
        self, request: Request, page: str, fields: dict[str, str], known: KnownPages
    ) -> tuple[dict[str, Any], str, bool]:
        """An event on `page` (events.py): the rules of a view, its own client limit."""
        name = event_name(fields["event"], self._settings.event_names)
        target = event_target(fields["target"]) if "target" in fields else None
        answer = {"event": name, "page": page, **({"target": target} if target else {})}
        uncounted = self._uncounted(request)
        if uncounted:
            return {**answer, "counted": False}, uncounted, False
        self._pages.check_ceiling()
        counted = self._events.count(
            name,
            page,
            request.viewer.address,
            track=not opted_out(request.headers),
            page_listed=known.lists(page),
            target=target,
            target_listed=target in known.targets,
        )
        return {**answer, "counted": counted}, "event" if counted else "client_limit", False

    def _read_page(self, request: Request) -> tuple[dict[str, Any], str, bool]:
        page = _page_of(request)
        counts = self._pages.read(page)
        if counts is None:
            raise BadRequest(404, f"No views recorded for page {page!r}.")
        return counts.as_json(), "read", False

    def _top_pages(self, request: Request) -> tuple[dict[str, Any], str, bool]:
        limit = _top_limit(request.query)
        # The site's listed pages only: a page only a glob admits may be any id a visitor
        # made up, so it never reaches the public list.
        top = self._pages.top(self._known_pages.current().pages, limit)
        return {"pages": [page.as_json() for page in top]}, "read", False

    def _read_stats(self, request: Request) -> tuple[dict[str, Any] | TextBody, str, bool]:
        # The token first: without it, nothing is said of the parameters either.
        self._stats_gate.check(request.headers)
        accepted, read = self._stats_routes[STATS.rest(request.path)]
        # `site` names the deployment's site (sites.py chose this router by it): only this
        # router's own is an answer here.
        named = dict(parse_qsl(request.query, keep_blank_values=True)).get(SITE_PARAMETER)
        if named is not None and named != self._settings.site_id:
            raise BadRequest(404, UNKNOWN_SITE.format(site=named[:64]))
        query = parse_query(request.query, (*accepted, SITE_PARAMETER), self._stats.today())
        return read(query), "read", False

    def _source(self, request: Request, fields: dict[str, str]) -> str:
        """The view's referrer source, from its body's `fields`, else from the Referer header."""
        referrer = fields.get("referrer", request.headers.get("referer", ""))
        own = request.viewer.site_origin
        hosts = self._own_hosts | hosts_of([own]) if own else self._own_hosts
        return referrer_source(referrer, fields.get("utm_source", ""), hosts)


def _answer(action: _Action, request: Request, cors: dict[str, str]) -> _Result:
    """Run a route's action and map its errors to responses, in one place."""
    try:
        payload, outcome, new_visitor = action(request)
    except BadRequest as exc:
        response = json_response(exc.status, {"error": exc.message}, {**cors, **exc.headers})
        return _Result(response, "rejected", request.request_id)
    except CeilingReached as exc:
        headers = {**cors, "Retry-After": str(exc.retry_after_s)}
        response = json_response(503, {"error": CEILING_REACHED}, headers)
        return _Result(response, "ceiling", request.request_id)
    except StoreUnavailable as exc:
        headers = {**cors, "Retry-After": str(exc.retry_after_s)}
        response = json_response(503, {"error": RETRY_LATER}, headers)
        return _Result(response, "error", request.request_id, exc.reason, store_error=True)
    except CountUnavailable as exc:
        response = json_response(500, {"error": COUNT_UNAVAILABLE}, cors)
        return _Result(response, "error", request.request_id, str(exc), store_error=True)
    if isinstance(payload, TextBody):
        response = text_response(
            200, payload.body, payload.content_type, {**cors, **payload.headers}
        )
    else:
        response = json_response(200, payload, cors)
    return _Result(response, outcome, request.request_id, new_visitor=new_visitor)


def _view_fields(body: bytes) -> dict[str, str]:
    """A page view's body: empty, or a JSON object of VIEW_FIELDS with string values."""
    if not body.strip():
        return {}
    try:
        fields = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(400, BAD_VIEW_BODY) from None
    if not isinstance(fields, dict) or not all(
        name in VIEW_FIELDS and isinstance(value, str) for name, value in fields.items()
    ):
        raise BadRequest(400, BAD_VIEW_BODY)
    return fields


def _page_of(request: Request) -> str:
    try:
        return normalize_page(PAGE.rest(request.path))
    except InvalidPage as exc:
        raise BadRequest(400, str(exc)) from None


def _top_limit(query: str) -> int:
    params = parse_qsl(query, keep_blank_values=True)
    unknown = sorted({name for name, _ in params} - {"top"})
    if unknown:
        raise BadRequest(400, f"Unknown query parameter {unknown[0]!r}: only 'top' is accepted.")
    values = [value for _, value in params]
    if not values:
        return DEFAULT_TOP
    if len(values) > 1:
        raise BadRequest(400, f"top must be one whole number from 1 to {MAX_TOP}.")
    return whole_number("top", values[0], 1, MAX_TOP)
