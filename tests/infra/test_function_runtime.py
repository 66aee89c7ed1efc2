"""The runtime the function runs on changes only with a deploy, which proves it."""

from __future__ import annotations

from resume.runtime import RUNTIME_UPDATES
from tests.support.synth import Synthesized, only, resources


def test_the_runtime_and_its_botocore_change_only_when_a_deploy_updates_the_function(
    production: Synthesized,
) -> None:
    updates = only(production["backend"], "aws_lambda_runtime_management_config")
    function = only(production["backend"], "aws_lambda_function")

    assert RUNTIME_UPDATES == "FunctionUpdate"
    assert updates["update_runtime_on"] == "FunctionUpdate"
    assert "runtime_version_arn" not in updates
    key = next(iter(production["backend"]["resource"]["aws_lambda_function"]))
    assert updates["function_name"] == f"${{aws_lambda_function.{key}.function_name}}"
    assert function["runtime"] == "python3.13"


def test_the_local_cloud_leaves_it_out(emulated: Synthesized) -> None:
    """moto has no runtime management API (the docs' table says so)."""
    assert resources(emulated["backend"], "aws_lambda_runtime_management_config") == []
