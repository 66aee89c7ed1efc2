"""The committed provider lock: every init uses it, and a binary it does not list is refused."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from resume_tools.errors import OpsError
from resume_tools.terraform.lock import LOCK_FILE, READ_ONLY, install_lock
from resume_tools.terraform.mirror import AWS_PROVIDER_VERSION
from resume_tools.terraform.run import run_terraform, terraform_env
from tests.support.synth import PROJECT_ROOT

LOCK = (PROJECT_ROOT / LOCK_FILE).read_text()
# What `terraform init` computes from the offline mirror's linux_amd64 build (h1, a hash of
# the unpacked files): the one platform hash this machine can compute itself.
LINUX_AMD64 = "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0="


def stack_copy(tmp_path: Path, production_dir: Path) -> Path:
    stack = tmp_path / "stack"
    stack.mkdir()
    shutil.copy(production_dir / "stacks" / "cloud-resume-dev-state" / "cdk.tf.json", stack)
    return stack


def init(stack: Path) -> str:
    env = terraform_env(PROJECT_ROOT, os.environ)
    result = run_terraform(
        ["init", "-backend=false", READ_ONLY, "-no-color"], cwd=stack, env=env, capture=True
    )
    return str(result.stdout)


def test_the_lock_pins_the_version_the_bindings_were_generated_for() -> None:
    assert f'version     = "{AWS_PROVIDER_VERSION}"' in LOCK
    assert f'constraints = "{AWS_PROVIDER_VERSION}"' in LOCK
    assert LINUX_AMD64 in LOCK
    assert len(re.findall(r'"zh:[0-9a-f]{64}"', LOCK)) == 15  # every release zip


@pytest.mark.usefixtures("production")
def test_init_with_the_lock_leaves_it_unchanged(tmp_path: Path, production_dir: Path) -> None:
    stack = stack_copy(tmp_path, production_dir)
    install_lock(PROJECT_ROOT, stack)

    init(stack)

    assert (stack / LOCK_FILE).read_text() == LOCK


@pytest.mark.usefixtures("production")
def test_a_provider_the_lock_does_not_list_is_refused(tmp_path: Path, production_dir: Path) -> None:
    stack = stack_copy(tmp_path, production_dir)
    (stack / LOCK_FILE).write_text(LOCK.replace(LINUX_AMD64, "h1:" + "A" * 43 + "="))

    with pytest.raises(OpsError, match="checksums previously recorded"):
        init(stack)


def test_a_missing_lock_stops_before_terraform(tmp_path: Path) -> None:
    with pytest.raises(OpsError, match=r"\.terraform\.lock\.hcl is missing"):
        install_lock(tmp_path, tmp_path)
