"""`terraform validate` on every synthesized stack, offline through the provider mirror."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resume.app import STACK_KINDS
from resume_tools.terraform.lock import READ_ONLY, install_lock
from resume_tools.terraform.run import run_terraform, terraform_env
from tests.support.synth import PROJECT_ROOT, Synthesized


@pytest.fixture(scope="module")
def env(
    production: Synthesized, production_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Terraform's environment with one data folder for every stack: they all need the same
    provider, so one `init` (1.6 s) serves all four validations; a stack that needed another
    would fail its validation. Fails (never skips) without Terraform or the provider,
    saying what to install."""
    data_dir = tmp_path_factory.mktemp("terraform-data")
    env = {**terraform_env(PROJECT_ROOT, os.environ), "TF_DATA_DIR": str(data_dir)}
    del production  # synthesized into production_dir
    first = production_dir / "stacks" / f"cloud-resume-dev-{STACK_KINDS[0]}"
    install_lock(PROJECT_ROOT, first)
    run_terraform(
        ["init", "-backend=false", READ_ONLY, "-no-color"], cwd=first, env=env, capture=True
    )
    return env


def validate(stack_dir: Path, env: dict[str, str]) -> str:
    install_lock(PROJECT_ROOT, stack_dir)
    return run_terraform(["validate", "-no-color"], cwd=stack_dir, env=env, capture=True).stdout


@pytest.mark.usefixtures("production")  # synthesizes into production_dir
@pytest.mark.parametrize("kind", STACK_KINDS)
def test_stack_validates(production_dir: Path, env: dict[str, str], kind: str) -> None:
    stack_dir = production_dir / "stacks" / f"cloud-resume-dev-{kind}"

    assert "The configuration is valid." in validate(stack_dir, env)


@pytest.mark.usefixtures("with_ci")  # synthesizes into ci_dir
def test_ci_stack_validates(ci_dir: Path, env: dict[str, str]) -> None:
    stack_dir = ci_dir / "stacks" / "cloud-resume-ci"

    assert "The configuration is valid." in validate(stack_dir, env)
