"""Lambda entry point: builds the sites' routers once per container, then delegates each event."""

from __future__ import annotations

import os
from typing import Any

from visitor_counter.http import Response
from visitor_counter.settings import Settings
from visitor_counter.store import new_dynamodb_client
from visitor_counter.wiring import build_sites

# Module scope runs in Lambda's init phase: a bad setting fails the cold start
# with the variable's name, and the client is built once per container.
SETTINGS = Settings.from_env(os.environ)
_SITES = build_sites(SETTINGS, new_dynamodb_client(SETTINGS))


def lambda_handler(event: dict[str, Any], context: Any) -> Response:
    """Handle one HTTP API (payload 2.0) event."""
    return _SITES.handle(event, getattr(context, "aws_request_id", ""))
