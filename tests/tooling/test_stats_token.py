"""`nox -s stats-token`: a new token each time, shown once, only its SHA-256 stored."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from resume.config import AppConfig
from resume.outputs import FrontendOutputs, output_name
from resume_tools.aws import aws_client
from resume_tools.deploy import stats_token
from resume_tools.deploy.stats_token import deployed_site_url, new_stats_token, stats_page_url
from resume_tools.errors import OpsError
from tests.support.tables import TEST_TABLE_NAME
from visitor_counter import schema

SITE = "blog"
MOTO_ACCOUNT = "123456789012"  # what moto's STS answers the test credentials with
OTHER_ACCOUNT = "210987654321"
SITE_URL = "https://resume.example"


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


class StateBucketOwner:
    """S3's ExpectedBucketOwner check, which moto skips: a 403 when the owner named is not
    the bucket's, and the object as usual when none is named. Records each S3 call's."""

    def __init__(self, account: str) -> None:
        self.account = account
        self.expected: list[str | None] = []

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        expected = params.get("ExpectedBucketOwner")
        self.expected.append(expected)
        if expected is not None and expected != self.account:
            error = {"Code": "AccessDenied", "Message": "Access Denied"}
            raise ClientError({"Error": error, "ResponseMetadata": {}}, model.name)


@pytest.fixture
def config(aws: None) -> AppConfig:
    """A stage whose frontend state, in the state bucket moto's account would have, has a URL."""
    config = AppConfig()
    s3 = boto3.client("s3", region_name=config.region)
    bucket = config.state_bucket_name(MOTO_ACCOUNT)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": config.region})
    state = {"outputs": {output_name(FrontendOutputs, "site_url"): {"value": SITE_URL}}}
    s3.put_object(Bucket=bucket, Key=config.state_key("frontend"), Body=json.dumps(state))
    return config


def state_bucket_owned_by(monkeypatch: pytest.MonkeyPatch, account: str) -> StateBucketOwner:
    """Every S3 client stats_token makes checks ExpectedBucketOwner against `account`."""
    owner = StateBucketOwner(account)

    def checked_client(service: str, config: AppConfig) -> Any:
        client = aws_client(service, config)
        client.meta.events.register("before-parameter-build.s3", owner)
        return client

    monkeypatch.setattr(stats_token, "aws_client", checked_client)
    return owner


def test_the_site_url_is_read_only_from_a_state_bucket_this_account_owns(
    config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = state_bucket_owned_by(monkeypatch, MOTO_ACCOUNT)

    site_url = deployed_site_url(config)

    assert site_url == SITE_URL
    assert owner.expected == [MOTO_ACCOUNT]  # every S3 call names the caller's account


def test_a_state_bucket_another_account_owns_is_refused(
    config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    state_bucket_owned_by(monkeypatch, OTHER_ACCOUNT)
    bucket = config.state_bucket_name(MOTO_ACCOUNT)

    with pytest.raises(
        OpsError, match=f"state bucket {bucket} is not owned by account {MOTO_ACCOUNT}"
    ):
        deployed_site_url(config)


def test_a_stage_with_no_state_yet_has_no_site_url(aws: None) -> None:
    assert deployed_site_url(AppConfig()) is None
