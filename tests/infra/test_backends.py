"""Every stack keeps its state in the state bucket, one key each, natively locked."""

from __future__ import annotations

import pytest

from resume.app import STACK_KINDS
from tests.support.synth import Synthesized

KINDS = STACK_KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_s3_backend_uses_lockfile(production: Synthesized, kind: str) -> None:
    backend = production[kind]["terraform"]["backend"]["s3"]

    assert backend["use_lockfile"] is True
    assert backend["encrypt"] is True
    # A partial configuration: diff and deploy give the bucket to `terraform init`.
    assert "bucket" not in backend


@pytest.mark.parametrize("kind", KINDS)
def test_no_dynamodb_lock_table(production: Synthesized, kind: str) -> None:
    backend = production[kind]["terraform"]["backend"]["s3"]

    assert "dynamodb_table" not in backend


def test_one_state_key_per_stack_and_stage(production: Synthesized) -> None:
    keys = [production[kind]["terraform"]["backend"]["s3"]["key"] for kind in KINDS]

    assert keys == [f"cloud-resume/dev/{kind}.tfstate" for kind in KINDS]


@pytest.mark.parametrize("kind", KINDS)
def test_provider_is_pinned_to_the_mirrors_version(production: Synthesized, kind: str) -> None:
    from resume_tools.terraform.mirror import AWS_PROVIDER_VERSION

    required = production[kind]["terraform"]["required_providers"]["aws"]

    assert required["version"] == AWS_PROVIDER_VERSION


def test_cross_stack_reads_take_the_bucket_from_the_state_bucket_variable(
    production: Synthesized,
) -> None:
    frontend = production["frontend"]

    (remote,) = frontend["data"]["terraform_remote_state"].values()

    assert remote["config"]["bucket"] == "${var.state_bucket}"
    assert remote["config"]["key"] == "cloud-resume/dev/backend.tfstate"
    assert frontend["variable"]["state_bucket"]["type"] == "string"
    assert "terraform_remote_state" not in production["backend"].get("data", {})
