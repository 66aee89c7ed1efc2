"""The state stack: a bucket fit to hold Terraform state with native S3 locking."""

from __future__ import annotations

import json
import re

import cdktf

from tests.support.synth import Synthesized, only, policy_statements


def test_bucket_name_derives_from_project_stage_and_the_account_terraform_runs_in(
    production: Synthesized,
) -> None:
    bucket = only(production["state"], "aws_s3_bucket")

    # The account comes from Terraform's credentials at plan time, never from the synth.
    assert re.fullmatch(
        r"cloud-resume-dev-tfstate-\$\{data\.aws_caller_identity\.state_account_\w+\.account_id\}",
        bucket["bucket"],
    )


def test_a_configured_state_bucket_is_used_as_it_is(with_domain: Synthesized) -> None:
    bucket = only(with_domain["state"], "aws_s3_bucket")

    assert bucket["bucket"] == "example-state"


def test_bucket_cannot_be_destroyed_by_terraform(production: Synthesized) -> None:
    bucket = only(production["state"], "aws_s3_bucket")

    assert bucket["lifecycle"] == {"prevent_destroy": True}


def test_versioning_is_enabled(production: Synthesized) -> None:
    assert cdktf.Testing.to_have_resource_with_properties(
        json.dumps(production["state"]),
        "aws_s3_bucket_versioning",
        {"versioning_configuration": {"status": "Enabled"}},
    )


def test_default_encryption_is_on(production: Synthesized) -> None:
    encryption = only(production["state"], "aws_s3_bucket_server_side_encryption_configuration")

    rule = encryption["rule"][0]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "AES256"}


def test_public_access_is_blocked(production: Synthesized) -> None:
    block = only(production["state"], "aws_s3_bucket_public_access_block")

    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls")
    assert all(block[flag] is True for flag in (*flags, "restrict_public_buckets"))


def test_plain_http_is_denied(production: Synthesized) -> None:
    (deny,) = [s for s in policy_statements(production["state"]) if s.get("effect") == "Deny"]

    assert deny["actions"] == ["s3:*"]
    assert deny["condition"] == [
        {"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}
    ]


def test_native_locking_may_write_read_and_delete_lock_files(production: Synthesized) -> None:
    (lock,) = [
        s for s in policy_statements(production["state"]) if s.get("sid") == "NativeStateLocking"
    ]

    assert lock["actions"] == ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    assert lock["resources"][0].endswith("/*.tflock")


def test_old_versions_expire(production: Synthesized) -> None:
    lifecycle = only(production["state"], "aws_s3_bucket_lifecycle_configuration")

    rule = lifecycle["rule"][0]
    assert rule["status"] == "Enabled"
    assert rule["noncurrent_version_expiration"] == [{"noncurrent_days": 90}]
