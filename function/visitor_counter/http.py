"""API Gateway HTTP API (payload format 2.0): reading requests, shaping responses, CORS."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from visitor_counter.counting_rules import origin_allowed
from visitor_counter.errors import BadRequest
from visitor_counter.viewer import Viewer, viewer_of

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
CORS_METHODS = "POST, OPTIONS"  # the original contract's, on /
CORS_HEADERS = "Content-Type"
_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")
# The stats routes take the owner's token: a header a browser sends only once CORS allows it.
STATS_CORS_HEADERS = "Authorization"

Response = dict[str, Any]


@dataclass(frozen=True)
class Request:
    """The parts of an HTTP API event the counter looks at."""

    method: str
    path: str
    origin: str | None
    body: bytes
    request_id: str
    query: str = ""
    # Lower-cased names; only read to tell bots and opted-out visitors, never stored.
    headers: Mapping[str, str] = field(default_factory=dict)
    source_ip: str = ""
    # Its viewer's address, country and site origin (viewer.py), read once here.
    viewer: Viewer = field(default_factory=lambda: Viewer(""))

    @property
    def user_agent(self) -> str:
        """The User-Agent header, "" when the client sent none."""
        return self.headers.get("user-agent", "")


def parse_request(
    event: Mapping[str, Any],
    *,
    max_body_bytes: int,
    max_header_bytes: int = 8192,
    origin_secret: str = "",
) -> Request:
    """Read an HTTP API 2.0 event; raise BadRequest when it is malformed or too large.

    `origin_secret`: the site's distribution's (viewer.py), which its viewer's details need.
    """
    if not isinstance(event, Mapping):
        raise BadRequest(400, "Malformed request.")
    context = event.get("requestContext")
    if not isinstance(context, Mapping):
        raise BadRequest(400, "Malformed request: requestContext is missing.")
    http = context.get("http")
    if not isinstance(http, Mapping) or not isinstance(http.get("method"), str):
        raise BadRequest(400, "Malformed request: requestContext.http.method is missing.")
    headers = _headers(event.get("headers") or {}, max_header_bytes)
    source_ip = str(http.get("sourceIp") or "")
    return Request(
        method=http["method"].upper(),
        path=str(event.get("rawPath") or http.get("path") or "/"),
        origin=headers.get("origin"),
        body=_body(event, max_body_bytes),
        request_id=str(context.get("requestId") or ""),
        query=str(event.get("rawQueryString") or ""),
        headers=headers,
        source_ip=source_ip,
        viewer=viewer_of(headers, origin_secret, source_ip),
    )


def whole_number(name: str, value: str, low: int, high: int) -> int:
    """A query parameter's whole number from `low` to `high` (at most 3 digits), or 400."""
    if not _WHOLE_NUMBER.fullmatch(value) or not low <= int(value) <= high:
        raise BadRequest(400, f"{name} must be one whole number from {low} to {high}.")
    return int(value)


def route_key(event: Mapping[str, Any]) -> str:
    """Route as "METHOD /path" for the log, from whatever the event holds (even malformed)."""
    context = event.get("requestContext") if isinstance(event, Mapping) else None
    http = context.get("http") if isinstance(context, Mapping) else None
    if not isinstance(http, Mapping):
        return "-"
    method = str(http.get("method", "-"))[:16]
    path = str(event.get("rawPath") or http.get("path") or "/")
    return f"{method} {path[:128]}"


def _headers(raw: Any, max_header_bytes: int) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise BadRequest(400, "Malformed request: headers must be an object.")
    # HTTP API lower-cases header names, but a hand-made event may not.
    headers = {
        key.lower(): value
        for key, value in raw.items()
        if isinstance(key, str) and isinstance(value, str)
    }
    size = sum(
        len(key) + len(value.encode("utf-8", "surrogatepass")) for key, value in headers.items()
    )
    if size > max_header_bytes:
        raise BadRequest(431, f"Request headers are larger than {max_header_bytes} bytes.")
    return headers


def _body(event: Mapping[str, Any], max_body_bytes: int) -> bytes:
    raw = event.get("body")
    if raw is None:
        return b""
    if not isinstance(raw, str):
        raise BadRequest(400, "Malformed request: body must be a string.")
    # Base64 inflates by 4/3: reject before decoding so a huge body costs nothing.
    if len(raw) > 2 * max_body_bytes + 4:
        raise BadRequest(413, f"Request body is larger than {max_body_bytes} bytes.")
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(400, "Malformed request: body is not valid base64.") from None
    else:
        body = raw.encode("utf-8", errors="surrogatepass")
    if len(body) > max_body_bytes:
        raise BadRequest(413, f"Request body is larger than {max_body_bytes} bytes.")
    return body


def cors_headers(
    origin: str | None,
    allowed: frozenset[str],
    *,
    methods: str = CORS_METHODS,
    request_headers: str = CORS_HEADERS,
    max_age_s: int | None = None,
) -> dict[str, str]:
    """CORS headers for a response to `origin`; none unless it is allowed.

    `methods` and `request_headers` are the route's own; `max_age_s` is for preflight
    answers: how long the browser may cache them.
    """
    headers = {"Vary": "Origin"}
    if origin is not None and origin_allowed(origin, allowed):
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Methods"] = methods
        headers["Access-Control-Allow-Headers"] = request_headers
        if max_age_s is not None:
            headers["Access-Control-Max-Age"] = str(max_age_s)
    return headers


def json_response(status: int, payload: Mapping[str, Any], headers: Mapping[str, str]) -> Response:
    """A JSON response, compact like the original's serde_json output."""
    return {
        "statusCode": status,
        "headers": {**headers, "Content-Type": "application/json"},
        "body": json.dumps(payload, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def text_response(
    status: int, body: str, content_type: str, headers: Mapping[str, str]
) -> Response:
    """A response with a text body of its own type (the stats' CSV)."""
    return {
        "statusCode": status,
        "headers": {**headers, "Content-Type": content_type},
        "body": body,
        "isBase64Encoded": False,
    }


def empty_response(status: int, headers: Mapping[str, str]) -> Response:
    """A response with no body (the 204 of a CORS preflight)."""
    return {"statusCode": status, "headers": dict(headers), "body": "", "isBase64Encoded": False}
