"""A local stand-in for API Gateway's HTTP API: HTTP in, payload 2.0 event out, and back."""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import Any
from urllib.parse import unquote, urlsplit

from resume_tools.local_cloud.loopback import LoopbackServer, QuietHandler
from resume_tools.local_cloud.routes import NOT_FOUND, route_taking
from resume_tools.local_cloud.stage_limits import StageLimits, StageThrottle

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
# API Gateway passes these bodies as text; anything else arrives base64-encoded.
_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml")
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
_JSON = {"Content-Type": "application/json"}
# API Gateway's own answers (HTTP APIs): over a route's throttle, and a failed invocation.
TOO_MANY_REQUESTS = b'{"message":"Too Many Requests"}'
INTERNAL_SERVER_ERROR = b'{"message":"Internal Server Error"}'


class LambdaContext:
    """The Lambda context attributes a handler may read."""

    def __init__(self, function_name: str) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self.function_name = function_name
        self.memory_limit_in_mb = 256


def build_event(
    method: str, target: str, headers: list[tuple[str, str]], body: bytes, source_ip: str
) -> dict[str, Any]:
    """The event API Gateway (HTTP API, payload format 2.0) sends for one request."""
    parts = urlsplit(target)
    # HTTP APIs hand the function the path percent-decoded (REST APIs and function URLs do
    # not): /pages/%2Fa arrives as /pages//a. Do the same, so local runs see what AWS sends.
    path = unquote(parts.path) or "/"
    merged: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies += [c.strip() for c in value.split(";") if c.strip()]
            continue
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    content_type = merged.get("content-type", "")
    is_text = not body or content_type.startswith(_TEXT_TYPES)
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": parts.query,
        "headers": merged,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": merged.get("host", "localhost"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": merged.get("user-agent", ""),
            },
            "requestId": base64.b32encode(uuid.uuid4().bytes)[:16].decode().lower(),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": not is_text,
    }
    if cookies:
        event["cookies"] = cookies
    if parts.query:
        event["queryStringParameters"] = dict(
            (pair.partition("=")[0], pair.partition("=")[2]) for pair in parts.query.split("&")
        )
    if body:
        event["body"] = body.decode("utf-8") if is_text else base64.b64encode(body).decode()
    return event


class LocalGateway(LoopbackServer):
    """Serves a Lambda handler over HTTP on loopback, the way the deployed HTTP API stage does.

    A request none of the API's routes takes: 404, as API Gateway answers it. Over the
    throttle of the route that takes it (each route has its own token bucket): 429 without
    invoking the function. A body over 10 MB: 413.
    A function that crashes, or runs past its timeout (Lambda stops it): 500, the HTTP
    API's answer to a failed invocation; the connection never hangs.
    """

    def __init__(self, handler: Handler, port: int, limits: StageLimits) -> None:
        super().__init__(_request_handler(handler, limits), port)


def invoke(handler: Handler, event: dict[str, Any], timeout_s: float) -> dict[str, Any] | None:
    """The handler's result, or None if it raised or did not finish within the timeout.

    In-process code cannot be stopped as Lambda stops it: a late call finishes unseen.
    """
    outcome: list[dict[str, Any]] = []

    def run() -> None:
        # A crash is an invocation error: answered as API Gateway answers it, by the caller.
        with suppress(Exception):
            outcome.append(handler(event, LambdaContext("local-counter")))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout_s)
    return outcome[0] if outcome else None


def _request_handler(handler: Handler, limits: StageLimits) -> type[QuietHandler]:
    throttle = StageThrottle(limits)

    class Forward(QuietHandler):
        def _forward(self) -> None:
            route_key = route_taking(limits.routes, self.command, self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                # The body stays unread, so the connection cannot be reused: say so, or a
                # keep-alive client sends its next request into a closed socket.
                self.close_connection = True
                closing = {**_JSON, "Connection": "close"}
                if throttle.take(route_key):
                    self.reply(413, closing, b'{"message":"Request Entity Too Large"}')
                else:
                    self.reply(429, closing, TOO_MANY_REQUESTS)
                return
            body = self.rfile.read(length) if length else b""
            if route_key is None:
                self.reply(404, _JSON, NOT_FOUND)
                return
            if not throttle.take(route_key):
                self.reply(429, _JSON, TOO_MANY_REQUESTS)
                return
            event = build_event(
                self.command, self.path, list(self.headers.items()), body, self.client_address[0]
            )
            result = invoke(handler, event, limits.timeout_s)
            if result is None:
                self.reply(500, _JSON, INTERNAL_SERVER_ERROR)
                return
            payload = result.get("body") or ""
            data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
            self.reply(int(result.get("statusCode", 200)), result.get("headers") or {}, data)

        # http.server dispatches on these names; every method a route takes goes to the
        # handler (the API's routes are ANY).
        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _forward  # noqa: N815

    return Forward
