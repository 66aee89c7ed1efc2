"""Lambda entry point: wires settings, client and API once per container, then delegates."""

from __future__ import annotations

import os
from typing import Any

from visitor_counter.api import CounterApi
from visitor_counter.http import Response
from visitor_counter.page_store import PageStore
from visitor_counter.settings import Settings
from visitor_counter.store import VisitorCounter, new_dynamodb_client
from visitor_counter.telemetry import RequestLog
from visitor_counter.visitors import DailySalt, PageViews

# Module scope runs in Lambda's init phase: a bad setting fails the cold start
# with the variable's name, and the client is built once per container.
SETTINGS = Settings.from_env(os.environ)
_CLIENT = new_dynamodb_client(SETTINGS)
_PAGES = PageStore(_CLIENT, SETTINGS.table_name, SETTINGS.site_id)
_API = CounterApi(
    SETTINGS,
    VisitorCounter(_CLIENT, SETTINGS.table_name),
    PageViews(_PAGES, DailySalt(_PAGES), SETTINGS.site_id),
    RequestLog(SETTINGS.site_id, SETTINGS.log_level),
)


def lambda_handler(event: dict[str, Any], context: Any) -> Response:
    """Handle one HTTP API (payload 2.0) event."""
    return _API.handle(event, getattr(context, "aws_request_id", ""))
