"""deploy, diff, synth and dev with wrong input or a missing tool: one clear line, exit != 0."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_tool
from tests.support.cloud import free_ports

NO_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "",
    "AWS_SECRET_ACCESS_KEY": "",
    "AWS_PROFILE": "",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


@pytest.mark.parametrize("module", ["deploy", "diff", "stats_token"])
def test_missing_stage_is_a_usage_error(module: str) -> None:
    result = run_tool(module)

    assert result.returncode == 2
    assert "a stage is required: --stage {dev,staging,prod} or RESUME_STAGE" in result.stderr


@pytest.mark.parametrize("module", ["deploy", "diff", "stats_token"])
def test_unknown_stage_is_a_usage_error(module: str) -> None:
    result = run_tool(module, "--stage", "qa")

    assert result.returncode == 2
    assert "argument --stage: invalid choice: 'qa'" in result.stderr


def test_deploy_without_credentials_says_what_to_set() -> None:
    result = run_tool("deploy", "--stage", "dev", env=NO_CREDENTIALS)

    assert result.returncode == 1
    assert result.stderr.startswith("deploy: error: no usable AWS credentials to name the state")
    assert "set RESUME_STATE_BUCKET or RESUME_ACCOUNT_ID" in result.stderr


def test_synth_with_a_bad_setting_names_it() -> None:
    result = run_tool("synth", env={"RESUME_REGION": "mars-north-1"})

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "synth: error: region: 'mars-north-1' is not an AWS region (e.g. eu-west-2)"
    )


def run_dev(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    moto, api, site = map(str, free_ports(3))
    return run_tool(
        "dev", "--no-serve", "--moto-port", moto, "--api-port", api, "--site-port", site, env=env
    )


def test_dev_without_terraform_says_what_to_install(tmp_path: Path) -> None:
    result = run_dev({"PATH": str(tmp_path)})

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "dev: error: terraform not found on PATH: install Terraform >= 1.10 "
        "(https://developer.hashicorp.com/terraform/install)"
    )


def test_dev_with_a_wrong_mirror_names_it(tmp_path: Path) -> None:
    result = run_dev({"TF_PROVIDER_MIRROR": str(tmp_path)})

    assert result.returncode == 1
    assert result.stderr.startswith(f"dev: error: TF_PROVIDER_MIRROR={tmp_path} has no ")


def test_deploy_to_an_unreachable_endpoint_fails_cleanly() -> None:
    (port,) = free_ports(1)
    endpoint = f"http://127.0.0.1:{port}"

    result = run_tool(
        "deploy", "--stage", "dev",
        env={"RESUME_EMULATOR_ENDPOINT": endpoint, "AWS_ACCESS_KEY_ID": "x",
             "AWS_SECRET_ACCESS_KEY": "x", "AWS_ENDPOINT_URL": endpoint},
    )  # fmt: skip

    assert result.returncode == 1
    assert result.stderr.startswith("deploy: error: cannot reach S3: Could not connect")
