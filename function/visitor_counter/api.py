"""The counter's HTTP behaviour: which request counts, and what each outcome answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from visitor_counter.http import (
    BadRequest,
    Response,
    cors_headers,
    empty_response,
    json_response,
    parse_request,
)
from visitor_counter.log import JsonLogger
from visitor_counter.settings import Settings
from visitor_counter.store import CountUnavailable, StoreUnavailable

COUNT_UNAVAILABLE = "Visitor count unavailable."
RETRY_LATER = "Visitor count temporarily unavailable, please retry later."
NOT_FOUND = "Not found."
METHOD_NOT_ALLOWED = "Method not allowed."


class Counter(Protocol):
    """What the API needs from storage."""

    def increment(self, item_id: str) -> int:
        """Add one and return the new count."""
        ...


class CounterApi:
    """Serves POST / (count a visit) and OPTIONS / (CORS preflight)."""

    def __init__(self, settings: Settings, counter: Counter, logger: JsonLogger) -> None:
        self._settings = settings
        self._counter = counter
        self._log = logger

    def handle(self, event: Mapping[str, Any], fallback_request_id: str = "") -> Response:
        """Answer one API Gateway event; never raises, never leaks internals."""
        try:
            return self._route(event, fallback_request_id)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: JSON, no trace
            self._log.error(
                "unhandled", request_id=fallback_request_id, error_type=type(exc).__name__
            )
            return json_response(500, {"error": COUNT_UNAVAILABLE}, {})

    def _route(self, event: Mapping[str, Any], fallback_request_id: str) -> Response:
        try:
            request = parse_request(event, max_body_bytes=self._settings.max_body_bytes)
        except BadRequest as exc:
            self._log.warning("rejected", request_id=fallback_request_id, status=exc.status)
            return json_response(exc.status, {"error": exc.message}, {})
        request_id = request.request_id or fallback_request_id
        cors = cors_headers(request.origin, self._settings.allowed_origins)
        if request.path != "/":
            return json_response(404, {"error": NOT_FOUND}, cors)
        if request.method == "OPTIONS":
            preflight = cors_headers(
                request.origin,
                self._settings.allowed_origins,
                max_age_s=self._settings.cors_max_age_s,
            )
            return empty_response(204, preflight)
        if request.method != "POST":
            allow = {**cors, "Allow": "POST, OPTIONS"}
            return json_response(405, {"error": METHOD_NOT_ALLOWED}, allow)
        return self._count(request_id, cors)

    def _count(self, request_id: str, cors: dict[str, str]) -> Response:
        try:
            visitors = self._counter.increment(self._settings.site_id)
        except StoreUnavailable as exc:
            self._log.error("store unavailable", request_id=request_id, error=exc.reason)
            headers = {**cors, "Retry-After": str(exc.retry_after_s)}
            return json_response(503, {"error": RETRY_LATER}, headers)
        except CountUnavailable as exc:
            self._log.error("count unavailable", request_id=request_id, error=str(exc))
            return json_response(500, {"error": COUNT_UNAVAILABLE}, cors)
        return json_response(200, {"visitors": visitors}, cors)
