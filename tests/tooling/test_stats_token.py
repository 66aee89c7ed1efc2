"""`nox -s stats-token`: a new token each time, shown once, only its SHA-256 stored."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from resume_tools.deploy.stats_token import new_stats_token, stats_page_url
from resume_tools.errors import OpsError
from tests.support.tables import TEST_TABLE_NAME
from visitor_counter import schema

SITE = "blog"


def stored_hash(dynamodb: Any) -> str:
    item = dynamodb.get_item(
        TableName=TEST_TABLE_NAME, Key={"ID": {"S": schema.stats_token_key(SITE)}}
    )["Item"]
    return str(item["sha256"]["S"])


def test_the_table_holds_the_tokens_sha256_and_never_the_token(dynamodb: Any) -> None:
    token = new_stats_token(dynamodb, TEST_TABLE_NAME, SITE)

    item = dynamodb.get_item(
        TableName=TEST_TABLE_NAME, Key={"ID": {"S": schema.stats_token_key(SITE)}}
    )["Item"]
    assert stored_hash(dynamodb) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(item)
    assert len(token) >= 43  # 256 bits, URL-safe base64


def test_each_token_is_new_and_replaces_the_last(dynamodb: Any) -> None:
    first = new_stats_token(dynamodb, TEST_TABLE_NAME, SITE)
    second = new_stats_token(dynamodb, TEST_TABLE_NAME, SITE)

    assert first != second
    assert stored_hash(dynamodb) == hashlib.sha256(second.encode()).hexdigest()


def test_a_stage_not_deployed_yet_says_so(dynamodb: Any) -> None:
    with pytest.raises(OpsError, match="table nowhere-visitors does not exist: deploy the stage"):
        new_stats_token(dynamodb, "nowhere-visitors", SITE)


def test_the_link_carries_the_token_in_its_fragment() -> None:
    assert stats_page_url("https://example.com/", "abc") == "https://example.com/stats/#token=abc"
