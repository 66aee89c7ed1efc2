"""Fixtures for the function's unit tests: settings, a log, a clock and the router as the
Lambda wires it, over the in-process moto of tests/support/moto_aws.py."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.moto_aws import aws, botocore_session, dynamodb, moto_patching
from tests.support.origins import ALLOWED
from tests.support.tables import TEST_TABLE_NAME
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.store import new_dynamodb_client
from visitor_counter.telemetry import RequestLog
from visitor_counter.wiring import build_router


@pytest.fixture
def settings() -> Settings:
    """Settings as the backend stack would pass them, pointed at the test table."""
    return Settings(table_name=TEST_TABLE_NAME, allowed_origins=ALLOWED)


@pytest.fixture
def log_stream() -> io.StringIO:
    """Captures the handler's log lines."""
    return io.StringIO()


@pytest.fixture
def handler_client(settings: Settings, dynamodb: Any) -> Any:
    """The handler's own DynamoDB client (botocore), as created at cold start."""
    return new_dynamodb_client(settings)


@pytest.fixture
def clock() -> Clock:
    """The time the router's daily salt sees; tests move it across midnight."""
    return Clock()


@pytest.fixture
def api(settings: Settings, handler_client: Any, log_stream: io.StringIO, clock: Clock) -> Router:
    """The router as the Lambda builds it, against moto, logging every line to `log_stream`."""
    return build_router(
        settings,
        handler_client,
        requests=RequestLog(settings.site_id, "DEBUG", log_stream),
        clock=clock,
    )


__all__ = ["aws", "botocore_session", "dynamodb", "moto_patching"]


@pytest.fixture
def api_with(settings: Settings, handler_client: Any, clock: Clock) -> Callable[..., Router]:
    """Makes a router of the test settings with `changes` (quiet), over `client` if given,
    its writes' shards chosen by `pick` if given (wiring.build_router)."""

    def make(client: Any = None, pick: Any = None, **changes: Any) -> Router:
        return build_router(
            replace(settings, **changes),
            client or handler_client,
            requests=RequestLog(settings.site_id, "ERROR", io.StringIO()),
            clock=clock,
            pick=pick,
        )

    return make
