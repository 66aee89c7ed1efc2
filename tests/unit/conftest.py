"""Fixtures for the handler's unit tests: an in-process moto DynamoDB and a wired router."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from moto import mock_aws
from moto.core.models import MockAWS

from tests.support.clock import Clock
from tests.support.origins import ALLOWED
from tests.support.tables import TEST_TABLE_NAME, create_counter_table
from visitor_counter import store
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.store import new_dynamodb_client
from visitor_counter.telemetry import RequestLog
from visitor_counter.wiring import build_router


@pytest.fixture(scope="module")
def moto_patching() -> Iterator[MockAWS]:
    """moto's patching of botocore, for a whole module: starting it builds ~1,300 URL
    matchers (0.27 s, most of a unit test's setup), so it is done once per module."""
    with mock_aws() as mocked:
        yield mocked


@pytest.fixture(scope="session")
def botocore_session() -> botocore.session.Session:
    """One botocore session for every handler client the tests create: a new session loads
    DynamoDB's service model again (~0.1 s; the Lambda does it once per cold start). Each
    client still gets its own copy of the event hooks, so a test's hooks stay its own."""
    return botocore.session.get_session()


@pytest.fixture
def aws(
    monkeypatch: pytest.MonkeyPatch,
    moto_patching: MockAWS,
    botocore_session: botocore.session.Session,
) -> Iterator[None]:
    """Fake credentials and an in-process moto with no data; nothing reaches a real endpoint."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    monkeypatch.setattr(store, "get_session", lambda: botocore_session)
    # What mock_aws() does at each start: every backend empty, so no test sees another's.
    moto_patching.reset()
    yield
    moto_patching.reset()


@pytest.fixture
def dynamodb(aws: None) -> Any:
    """A DynamoDB client with the test counter table in place."""
    client = boto3.client("dynamodb", region_name="eu-west-2")
    create_counter_table(client)
    return client


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
