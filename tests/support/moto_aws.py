"""The in-process AWS both kinds of unit test share: moto's patching started once per module,
one botocore session, and a DynamoDB client with the test counter table in place.

The conftest.py of tests/function and tests/tooling import these fixtures by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from moto import mock_aws
from moto.core.models import MockAWS

from tests.support.tables import create_counter_table
from visitor_counter import store


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
