"""The counter's HTTP behaviour: which request counts, and what each outcome answers."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from visitor_counter.http import (
    BadRequest,
    Response,
    cors_headers,
    empty_response,
    json_response,
    parse_request,
    route_key,
)
from visitor_counter.settings import Settings
from visitor_counter.store import CountUnavailable, StoreUnavailable
from visitor_counter.telemetry import RequestLog, RequestRecord

COUNT_UNAVAILABLE = "Visitor count unavailable."
RETRY_LATER = "Visitor count temporarily unavailable, please retry later."
NOT_FOUND = "Not found."
METHOD_NOT_ALLOWED = "Method not allowed."


class Counter(Protocol):
    """What the API needs from storage."""

    def increment(self, item_id: str) -> int:
        """Add one and return the new count."""
        ...


@dataclass(frozen=True)
class _Result:
    response: Response
    outcome: str
    request_id: str = ""
    error_type: str | None = None
    store_error: bool = False


class CounterApi:
    """Serves POST / (count a visit) and OPTIONS / (CORS preflight)."""

    def __init__(self, settings: Settings, counter: Counter, requests: RequestLog) -> None:
        self._settings = settings
        self._counter = counter
        self._requests = requests
        self._cold = True

    def handle(self, event: Mapping[str, Any], fallback_request_id: str = "") -> Response:
        """Answer one API Gateway event; never raises, never leaks internals."""
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
            )
        )
        self._cold = False
        return result.response

    def _route(self, event: Mapping[str, Any]) -> _Result:
        try:
            request = parse_request(event, max_body_bytes=self._settings.max_body_bytes)
        except BadRequest as exc:
            return _Result(json_response(exc.status, {"error": exc.message}, {}), "rejected")
        request_id = request.request_id
        cors = cors_headers(request.origin, self._settings.allowed_origins)
        if request.path != "/":
            return _Result(json_response(404, {"error": NOT_FOUND}, cors), "rejected", request_id)
        if request.method == "OPTIONS":
            preflight = cors_headers(
                request.origin,
                self._settings.allowed_origins,
                max_age_s=self._settings.cors_max_age_s,
            )
            return _Result(empty_response(204, preflight), "preflight", request_id)
        if request.method != "POST":
            allow = {**cors, "Allow": "POST, OPTIONS"}
            response = json_response(405, {"error": METHOD_NOT_ALLOWED}, allow)
            return _Result(response, "rejected", request_id)
        return self._count(request_id, cors)

    def _count(self, request_id: str, cors: dict[str, str]) -> _Result:
        try:
            visitors = self._counter.increment(self._settings.site_id)
        except StoreUnavailable as exc:
            headers = {**cors, "Retry-After": str(exc.retry_after_s)}
            response = json_response(503, {"error": RETRY_LATER}, headers)
            return _Result(response, "error", request_id, exc.reason, store_error=True)
        except CountUnavailable as exc:
            response = json_response(500, {"error": COUNT_UNAVAILABLE}, cors)
            return _Result(response, "error", request_id, str(exc), store_error=True)
        return _Result(json_response(200, {"visitors": visitors}, cors), "counted", request_id)
