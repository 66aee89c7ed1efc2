"""`nox -s audit` must never pass having audited nothing, and audits npm's lock too.

npm_audit/ holds what `npm audit --json --package-lock-only` printed (npm 11.19): clean.json
(the project's lock), offline_405.json (a registry mirror refusing the advisory POST, as on
this offline machine), offline_refused.json (no registry: connection refused), no_lock.json
(a folder without a lock); high.json is in the clean report's shape with two advisories.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from resume_tools.checks.audit import npm_verdict
from tests.support.synth import PROJECT_ROOT

SAMPLES = Path(__file__).parent / "npm_audit"
NPM_LOCK = Path("package-lock.json")
# A proxy or registry nobody listens on: unreachable here and on any CI runner.
DEAD = "http://127.0.0.1:9"
# npm's five, mildest first: pip-audit fails on any finding, so each of these must fail.
SEVERITIES = ("info", "low", "moderate", "high", "critical")


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


def npm_result(stdout: str, returncode: int, stderr: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(["npm", "audit"], returncode, stdout, stderr)


def sample(name: str) -> str:
    return (SAMPLES / name).read_text()


def test_unreachable_vulnerability_service_fails_loudly(pip_audit: str) -> None:
    result = run_audit(
        pip_audit, "requirements/nox.txt", HTTPS_PROXY=DEAD, https_proxy=DEAD, NO_PROXY=""
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


def test_the_audit_session_covers_every_dependency_lock_file(noxfile: dict[str, Any]) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    locks = {
        path for path in tracked
        if Path(path).name in {"package-lock.json", "requirements.txt"}
        or (path.startswith("requirements/") and path.endswith(".txt"))
    }  # fmt: skip

    assert "package-lock.json" in locks
    assert set(noxfile["LOCK_FILES"]) == locks


def test_a_clean_npm_report_passes_naming_how_much_it_audited() -> None:
    verdict = npm_verdict(NPM_LOCK, npm_result(sample("clean.json"), 0))

    assert verdict == (True, "package-lock.json: no known vulnerabilities (578 packages)")


def test_npm_findings_fail_naming_each_package_its_severity_and_advisories() -> None:
    verdict = npm_verdict(NPM_LOCK, npm_result(sample("high.json"), 1))

    assert verdict == (
        False,
        "package-lock.json: known vulnerabilities (2 high):\n"
        "  braces (high): Uncontrolled resource consumption in braces "
        "https://github.com/advisories/GHSA-grv7-fg5c-xmjg\n"
        "  micromatch (high): Regular Expression Denial of Service (ReDoS) in micromatch "
        "https://github.com/advisories/GHSA-952p-6rrq-rcjv; through braces",
    )


@pytest.mark.parametrize("severity", SEVERITIES)
def test_any_npm_severity_fails_as_any_pip_audit_finding_does(severity: str) -> None:
    report: dict[str, Any] = json.loads(sample("high.json"))
    report["vulnerabilities"] = {
        "braces": {**report["vulnerabilities"]["braces"], "severity": severity}
    }
    report["metadata"]["vulnerabilities"] = {**dict.fromkeys(SEVERITIES, 0), severity: 1}

    # npm's own exit code is 0 for an "info" advisory (its default --audit-level is low).
    passed, verdict = npm_verdict(NPM_LOCK, npm_result(json.dumps(report), 0))

    assert not passed
    assert verdict.splitlines()[1].startswith(f"  braces ({severity}): ")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("offline_405.json", "405 Method Not Allowed - POST https://registry.npmjs.org/"),
        ("offline_refused.json", "request to http://127.0.0.1:9/"),
    ],
)
def test_an_unreachable_advisory_database_is_a_failure_not_a_finding(
    name: str, reason: str
) -> None:
    passed, verdict = npm_verdict(NPM_LOCK, npm_result(sample(name), 1))

    assert not passed
    assert verdict.startswith(
        "package-lock.json: the audit could not run: the advisory database (the npm "
        f"registry's audit endpoint) did not answer ({reason}"
    )
    assert verdict.endswith("), so nothing is vouched for")


@pytest.mark.parametrize(
    ("stdout", "stderr", "reason"),
    [
        (sample("no_lock.json"), "", "This command requires an existing lockfile."),
        ("", "npm error code E500\nnpm error 500 Internal\n", "npm error code E500"),
    ],
    ids=["npm-error-json", "no-json"],
)
def test_npm_without_a_report_is_a_failure(stdout: str, stderr: str, reason: str) -> None:
    verdict = npm_verdict(NPM_LOCK, npm_result(stdout, 1, stderr))

    assert verdict == (
        False,
        f"package-lock.json: the audit could not run: npm audit gave no report ({reason}), "
        "so nothing is vouched for",
    )


@pytest.mark.parametrize("offline", ["false", "true"], ids=["online", "npm-offline-mode"])
def test_npm_audit_fails_loudly_without_its_advisory_database(pip_audit: str, offline: str) -> None:
    # In npm's offline mode `npm audit` prints a clean report without asking anyone.
    result = run_audit(
        pip_audit, "package-lock.json", npm_config_registry=f"{DEAD}/", npm_config_offline=offline
    )

    assert result.returncode == 1
    assert result.stderr.startswith(
        "audit: package-lock.json: the audit could not run: the advisory database"
    )
