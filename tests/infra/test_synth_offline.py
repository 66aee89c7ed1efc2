"""Synthesis is a pure step: no AWS credentials, no account id, the same bytes every time.

The state bucket's name embeds the account, so the synthesized backend leaves it out (diff
and deploy pass it to `terraform init`) and the state stack names its bucket from
Terraform's own account id at plan time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from resume.config import load_config
from resume_tools.artifacts.synth import synthesize
from tests.support.synth import PROJECT_ROOT

# Nothing an AWS SDK or Terraform could find credentials or an account id in.
NO_CREDENTIALS = {
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def offline_env() -> dict[str, str]:
    """This process's environment without any AWS or RESUME_ setting."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RESUME_"))}
    return {**clean, **NO_CREDENTIALS}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_two_synths_without_credentials_are_byte_identical(
    function_zip: Path, tmp_path: Path
) -> None:
    env = offline_env()
    config = load_config(env, {"function_zip": str(function_zip)})

    synthesize(PROJECT_ROOT, config, env, tmp_path / "first")
    synthesize(PROJECT_ROOT, config, env, tmp_path / "second")

    first, second = tree(tmp_path / "first"), tree(tmp_path / "second")
    assert any(name.endswith("cdk.tf.json") for name in first)
    assert first == second


def test_the_synth_command_needs_no_account() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "resume_tools.cli.synth"],
        cwd=PROJECT_ROOT,
        env=offline_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("synth: ")
