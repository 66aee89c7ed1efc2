"""The Lambda entry point wires everything at import time (the cold start)."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import pytest

from tests.support.events import FakeContext, http_event
from tests.support.tables import TEST_TABLE_NAME, stored_count
from visitor_counter.settings import SettingsError


def fresh_handler_module() -> Any:
    """Import the handler as a new container would."""
    sys.modules.pop("visitor_counter.handler", None)
    return importlib.import_module("visitor_counter.handler")


def test_cold_start_reads_the_environment_and_counts(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABLE_NAME", TEST_TABLE_NAME)
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://example.com")
    handler = fresh_handler_module()

    response = handler.lambda_handler(http_event("POST", origin="https://example.com"), None)

    assert json.loads(response["body"]) == {"visitors": 1}
    assert response["headers"]["Access-Control-Allow-Origin"] == "https://example.com"
    assert stored_count(dynamodb) == 1


@pytest.mark.usefixtures("aws")
def test_cold_start_with_a_bad_variable_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "not-an-origin")

    with pytest.raises(SettingsError, match="ALLOWED_ORIGINS"):
        fresh_handler_module()


@pytest.mark.usefixtures("aws")
def test_context_request_id_is_logged_when_the_event_has_none(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TABLE_NAME", TEST_TABLE_NAME)
    handler = fresh_handler_module()
    capsys.readouterr()

    handler.lambda_handler({"requestContext": {}}, FakeContext("ctx-42"))

    line = json.loads(capsys.readouterr().out)
    assert line["request_id"] == "ctx-42"
