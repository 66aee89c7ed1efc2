"""`nox -s audit` must never pass having audited nothing."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.synth import PROJECT_ROOT


def run_audit(pip_audit: str, *locks: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "resume_tools.cli.audit", "--pip-audit", pip_audit, *locks],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_unreachable_vulnerability_service_fails_loudly(pip_audit: str) -> None:
    # A proxy nobody listens on: the service is unreachable here and on any CI runner.
    dead = "http://127.0.0.1:9"

    result = run_audit(
        pip_audit, "requirements/nox.txt", HTTPS_PROXY=dead, https_proxy=dead, NO_PROXY=""
    )

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "audit: requirements/nox.txt: the audit could not run: the vulnerability service "
        "(PyPI's JSON API) did not answer for every package, so nothing is vouched for"
    )


def test_a_lock_file_without_dependencies_is_reported_as_such(pip_audit: str) -> None:
    result = run_audit(pip_audit, "function/requirements.txt")

    assert result.returncode == 0
    assert result.stdout.strip() == "audit: function/requirements.txt: no dependencies to audit"


def test_a_missing_lock_file_is_an_error(pip_audit: str) -> None:
    result = run_audit(pip_audit, "requirements/nope.txt")

    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == "audit: error: requirements/nope.txt does not exist"
    )
