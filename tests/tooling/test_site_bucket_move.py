"""Buckets the deploy tool touches itself: a legacy site bucket emptied, a foreign one refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from resume_tools.deploy.site_bucket_move import empty_bucket, legacy_site_bucket


@pytest.mark.parametrize(
    ("name", "legacy"),
    [
        ("terraform-20260101000000000000000001", True),
        ("cloud-resume-dev-20261126000000000000000001", False),
        ("cloud-resume-prod-20261126000000000000000001", True),  # another stage's prefix
        ("", False),  # nothing deployed yet
    ],
)
def test_only_a_bucket_outside_the_stage_prefix_moves(name: str, legacy: bool) -> None:
    outputs = {"bucket_name": name} if name else {}

    assert (legacy_site_bucket(outputs, "cloud-resume-dev-") == name) is legacy


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-2")
        client.create_bucket(
            Bucket="old", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        client.put_bucket_versioning(Bucket="old", VersioningConfiguration={"Status": "Enabled"})
        yield client


def test_emptying_removes_every_version_and_delete_marker(s3: Any) -> None:
    for body in (b"v1", b"v2"):
        s3.put_object(Bucket="old", Key="index.html", Body=body)
    s3.put_object(Bucket="old", Key="gone.html", Body=b"x")
    s3.delete_object(Bucket="old", Key="gone.html")  # leaves a delete marker

    deleted = empty_bucket(s3, "old")

    assert deleted == 4
    versions = s3.list_object_versions(Bucket="old")
    assert "Versions" not in versions
    assert "DeleteMarkers" not in versions
    s3.delete_bucket(Bucket="old")  # what Terraform's replacement then does


def test_a_bucket_of_another_account_is_refused_not_used(s3: Any) -> None:
    """State bucket names are predictable; one someone else owns must never hold our state."""
    from botocore.stub import Stubber

    from resume_tools.aws import bucket_exists
    from resume_tools.errors import OpsError

    assert bucket_exists(s3, "old", "123456789012") is True  # moto's own account
    assert bucket_exists(s3, "missing", "123456789012") is False
    # moto ignores ExpectedBucketOwner; S3 answers 403 for a bucket of another account.
    with Stubber(s3) as stub:
        stub.add_client_error(
            "head_bucket",
            service_error_code="403",
            http_status_code=403,
            expected_params={"Bucket": "taken", "ExpectedBucketOwner": "123456789012"},
        )
        with pytest.raises(OpsError, match="exists but not in account 123456789012"):
            bucket_exists(s3, "taken", "123456789012")
