"""Builders for API Gateway HTTP API (payload 2.0) events and Lambda contexts."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from typing import Any

_ids = itertools.count(1)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


@dataclass(frozen=True)
class FakeContext:
    """The one attribute of a Lambda context the handler reads."""

    aws_request_id: str = "ctx-request-id"


# What a browser on the site sends; pass origin=None for a client that sends none.
SITE_ORIGIN = "https://example.com"


def http_event(
    method: str = "POST",
    path: str = "/",
    *,
    origin: str | None = SITE_ORIGIN,
    body: str | bytes | None = None,
    base64_encoded: bool = False,
    headers: dict[str, str] | None = None,
    source_ip: str = "203.0.113.9",
    user_agent: str | None = BROWSER,
    query: str = "",
) -> dict[str, Any]:
    """An event shaped like the one API Gateway sends for one HTTP request."""
    all_headers = {"user-agent": user_agent} if user_agent is not None else {}
    all_headers.update(headers or {})
    if origin is not None:
        all_headers["origin"] = origin
    if isinstance(body, bytes):
        body = base64.b64encode(body).decode("ascii")
        base64_encoded = True
    request_id = f"req-{next(_ids)}"
    return {
        "version": "2.0",
        "routeKey": "ANY /",
        "rawPath": path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "local.execute-api.localhost",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": user_agent or "",
            },
            "requestId": request_id,
            "routeKey": "ANY /",
            "stage": "$default",
            "timeEpoch": 1_700_000_000_000,
        },
        "body": body,
        "isBase64Encoded": base64_encoded,
    }
