"""`terraform validate` on every synthesized stack, offline through the provider mirror."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resume.app import STACK_KINDS
from resume_tools.terraform.lock import READ_ONLY, install_lock
from resume_tools.terraform.run import run_terraform, terraform_env
from tests.support.synth import PROJECT_ROOT


@pytest.mark.usefixtures("production")  # synthesizes into production_dir
@pytest.mark.parametrize("kind", STACK_KINDS)
def test_stack_validates(production_dir: Path, kind: str) -> None:
    # Fails (never skips) without Terraform or the provider, saying what to install.
    env = terraform_env(PROJECT_ROOT, os.environ)
    stack_dir = production_dir / "stacks" / f"cloud-resume-dev-{kind}"

    install_lock(PROJECT_ROOT, stack_dir)
    run_terraform(
        ["init", "-backend=false", READ_ONLY, "-no-color"], cwd=stack_dir, env=env, capture=True
    )
    result = run_terraform(["validate", "-no-color"], cwd=stack_dir, env=env, capture=True)

    assert "The configuration is valid." in result.stdout


@pytest.mark.usefixtures("with_ci")  # synthesizes into ci_dir
def test_ci_stack_validates(ci_dir: Path) -> None:
    env = terraform_env(PROJECT_ROOT, os.environ)
    stack_dir = ci_dir / "stacks" / "cloud-resume-ci"

    install_lock(PROJECT_ROOT, stack_dir)
    run_terraform(
        ["init", "-backend=false", READ_ONLY, "-no-color"], cwd=stack_dir, env=env, capture=True
    )
    result = run_terraform(["validate", "-no-color"], cwd=stack_dir, env=env, capture=True)

    assert "The configuration is valid." in result.stdout
