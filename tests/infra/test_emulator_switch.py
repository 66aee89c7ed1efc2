"""One switch (emulator_endpoint) leaves out what moto lacks; production keeps it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resume.app import STACK_KINDS
from resume_tools.terraform.run import terraform_env
from tests.support.synth import Synthesized, policy_statements, resources

LEFT_OUT_LOCALLY = [
    ("frontend", "aws_cloudfront_response_headers_policy"),
    ("frontend", "aws_s3_bucket_lifecycle_configuration"),
    ("state", "aws_s3_bucket_lifecycle_configuration"),
]


@pytest.mark.parametrize(("kind", "resource_type"), LEFT_OUT_LOCALLY)
def test_production_has_it(production: Synthesized, kind: str, resource_type: str) -> None:
    assert resources(production[kind], resource_type)


@pytest.mark.parametrize(("kind", "resource_type"), LEFT_OUT_LOCALLY)
def test_local_cloud_leaves_it_out(emulated: Synthesized, kind: str, resource_type: str) -> None:
    assert not resources(emulated[kind], resource_type)


@pytest.mark.parametrize("kind", STACK_KINDS)
def test_local_cloud_points_provider_and_backend_at_the_emulator(
    emulated: Synthesized, kind: str
) -> None:
    provider = emulated[kind]["provider"]["aws"][0]
    backend = emulated[kind]["terraform"]["backend"]["s3"]

    # The provider gets the emulator from Terraform's environment (below): an endpoints block
    # costs 2.3 s at each of an apply's four provider starts.
    assert "endpoints" not in provider
    assert provider["skip_credentials_validation"] is True
    assert backend["endpoints"] == {"s3": "http://127.0.0.1:4599", "sts": "http://127.0.0.1:4599"}
    assert backend["use_lockfile"] is True


@pytest.mark.parametrize("kind", ["state", "frontend"])
def test_tls_only_deny_is_in_production_and_not_on_plain_http_moto(
    production: Synthesized, emulated: Synthesized, kind: str
) -> None:
    def denies(document: dict[str, object]) -> list[dict[str, object]]:
        return [s for s in policy_statements(document) if s.get("effect") == "Deny"]

    assert [s["sid"] for s in denies(production[kind])] == ["DenyInsecureTransport"]
    assert denies(emulated[kind]) == []


def test_local_cloud_does_not_wait_for_cloudfront(emulated: Synthesized) -> None:
    (distribution,) = resources(emulated["frontend"], "aws_cloudfront_distribution")

    assert distribution["wait_for_deployment"] is False


def test_terraform_for_the_local_cloud_sends_every_aws_call_to_the_emulator(
    tmp_path: Path,
) -> None:
    theirs = {
        "AWS_ENDPOINT_URL_DYNAMODB": "http://elsewhere:8000",
        "AWS_PROFILE": "with-endpoint-urls",
        "AWS_DEFAULT_PROFILE": "with-endpoint-urls",
        "PATH": os.environ["PATH"],
    }

    local = terraform_env(tmp_path, theirs, emulator_endpoint="http://127.0.0.1:4599")
    production = terraform_env(tmp_path, theirs)

    assert local["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4599"
    assert local["AWS_CONFIG_FILE"] == os.devnull
    assert not {name for name in local if name in theirs} - {"PATH"}
    assert "AWS_ENDPOINT_URL" not in production
    assert production["AWS_PROFILE"] == "with-endpoint-urls"


def test_production_never_names_an_emulator(production: Synthesized) -> None:
    for document in production.values():
        assert "endpoints" not in document["provider"]["aws"][0]
        assert "127.0.0.1" not in str(document)


IGNORED_LOCALLY = [
    ("frontend", "aws_cloudfront_distribution"),
    ("backend", "aws_lambda_function"),
]


@pytest.mark.parametrize(("kind", "resource_type"), IGNORED_LOCALLY)
def test_only_the_local_cloud_ignores_moto_drift(
    production: Synthesized, emulated: Synthesized, kind: str, resource_type: str
) -> None:
    (local,) = resources(emulated[kind], resource_type)
    (real,) = resources(production[kind], resource_type)

    assert local["lifecycle"]["ignore_changes"]
    assert "lifecycle" not in real
