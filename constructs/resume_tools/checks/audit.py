"""Audit every lock file: pip-audit --strict or npm audit; never pass having audited nothing.

pip-audit without --strict exits 0 when it cannot reach its vulnerability service, having
checked nothing. With --strict it exits non-zero; this wrapper then says whether that was
a finding or an audit that could not run, in one line per lock file. npm audit fails when
its advisory database does not answer, except under `offline=true` (an .npmrc or
npm_config_offline), where it prints a clean report without asking: we forbid that mode.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from resume_tools.artifacts.package import requirement_lines

NPM_LOCK = "package-lock.json"
# What pip-audit prints when the service could not answer for a package.
_UNREACHABLE = (
    "could not be audited",
    "ConnectionError",
    "ProxyError",
    "Max retries exceeded",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
)
# npm's severities, mildest first. pip-audit fails on any known vulnerability, whatever its
# severity, so each of these fails too ("info" included, which npm's exit code lets pass).
NPM_SEVERITIES = ("info", "low", "moderate", "high", "critical")
# The whole lock: cdktf-cli is a dev dependency but runs in CI, and NODE_ENV=production
# (or an .npmrc's omit) would drop dev dependencies without a word. --offline=false: above.
_NPM_AUDIT = [
    "audit", "--json", "--package-lock-only", "--offline=false",
    "--include=dev", "--include=optional", "--include=peer",
]  # fmt: skip


def audit_lock(lock: Path, *, pip_audit: str, npm: str) -> tuple[bool, str]:
    """(passed, verdict) for one lock file: npm's lock by npm audit, the others by pip-audit."""
    if lock.name == NPM_LOCK:
        return audit_npm_lock(npm, lock)
    return audit_pip_lock(pip_audit, lock)


def audit_pip_lock(pip_audit: str, lock: Path) -> tuple[bool, str]:
    """(passed, one-line verdict) for one hash-locked requirements file."""
    if not requirement_lines(lock):
        return True, f"{lock}: no dependencies to audit"
    command = [pip_audit, "--strict", "--require-hashes", "--disable-pip",
               "--progress-spinner", "off", "--desc", "off", "-r", str(lock)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode == 0:
        return True, f"{lock}: no known vulnerabilities"
    output = result.stderr + result.stdout
    if any(marker in output for marker in _UNREACHABLE):
        return False, (
            f"{lock}: the audit could not run: the vulnerability service (PyPI's JSON API) "
            "did not answer for every package, so nothing is vouched for"
        )
    findings = [line for line in result.stdout.splitlines() if line.strip()]
    return False, f"{lock}: known vulnerabilities:\n" + "\n".join(findings)


def audit_npm_lock(npm: str, lock: Path) -> tuple[bool, str]:
    """(passed, verdict) for package-lock.json, from the lock alone (no node_modules)."""
    try:
        result = subprocess.run(  # noqa: S603
            [npm, *_NPM_AUDIT], cwd=lock.parent, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        return False, f"{lock}: the audit could not run: {npm}: {exc.strerror}"
    return npm_verdict(lock, result)


def npm_verdict(lock: Path, result: subprocess.CompletedProcess[str]) -> tuple[bool, str]:
    """(passed, verdict) from `npm audit --json`: judged by its report, not its exit code."""
    report = _json_object(result.stdout)
    counts = report.get("metadata", {}).get("vulnerabilities")
    if not isinstance(counts, dict):
        return False, f"{lock}: the audit could not run: {_npm_failure(report, result)}"
    found = sum(int(counts.get(severity, 0)) for severity in NPM_SEVERITIES)
    if found:
        by_severity = ", ".join(
            f"{counts[s]} {s}" for s in reversed(NPM_SEVERITIES) if counts.get(s)
        )
        packages = [
            _npm_finding(name, entry)
            for name, entry in sorted(report.get("vulnerabilities", {}).items())
        ]
        return False, f"{lock}: known vulnerabilities ({by_severity}):\n" + "\n".join(packages)
    if result.returncode != 0:
        return False, f"{lock}: the audit could not run: npm exited {result.returncode}"
    audited = report["metadata"].get("dependencies", {}).get("total", 0)
    if not audited:
        return True, f"{lock}: no dependencies to audit"
    return True, f"{lock}: no known vulnerabilities ({audited} packages)"


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _npm_failure(report: dict[str, Any], result: subprocess.CompletedProcess[str]) -> str:
    """Why npm printed no report: its error in the JSON, else its first error line."""
    error = report.get("error")
    message = report.get("message") or (error.get("summary") if isinstance(error, dict) else "")
    if not message:
        errors = [line for line in result.stderr.splitlines() if line.startswith("npm error")]
        message = errors[0] if errors else f"npm exited {result.returncode} without a report"
    if "/-/npm/v1/security/" in message:  # the URL of the request that failed
        return (
            f"the advisory database (the npm registry's audit endpoint) did not answer "
            f"({message}), so nothing is vouched for"
        )
    return f"npm audit gave no report ({message}), so nothing is vouched for"


def _npm_finding(name: str, entry: dict[str, Any]) -> str:
    """One line per vulnerable package: its severity, and its advisories or the culprits."""
    advisories = [
        f"{via.get('title', '?')} {via.get('url', '')}".strip()
        for via in entry.get("via", [])
        if isinstance(via, dict)
    ]
    through = [via for via in entry.get("via", []) if isinstance(via, str)]
    reasons = advisories + ([f"through {', '.join(through)}"] if through else [])
    return f"  {name} ({entry.get('severity', '?')}): {'; '.join(reasons)}"
