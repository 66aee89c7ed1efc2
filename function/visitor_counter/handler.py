"""Lambda entry point: builds the sites' routers once per container, then delegates each event."""

from __future__ import annotations

import os
from typing import Any

from botocore.session import get_session

from visitor_counter.http import Response
from visitor_counter.settings import Settings
from visitor_counter.site_sessions import site_clients
from visitor_counter.store import new_dynamodb_client
from visitor_counter.wiring import build_sites

# Module scope runs in Lambda's init phase: a bad setting fails the cold start
# with the variable's name, and the client is built once per container.
SETTINGS = Settings.from_env(os.environ)
# One botocore session: its credentials are the function's role's, and each other site's
# client (which signs as that site only, site_sessions.py) shares its loaded models.
_SESSION = get_session()
_SITES = build_sites(
    SETTINGS, new_dynamodb_client(SETTINGS, _SESSION), site_clients(SETTINGS, _SESSION)
)


def lambda_handler(event: dict[str, Any], context: Any) -> Response:
    """Handle one HTTP API (payload 2.0) event."""
    return _SITES.handle(event, getattr(context, "aws_request_id", ""))
