"""Audit every lock file with pip-audit --strict; never pass having audited nothing.

pip-audit without --strict exits 0 when it cannot reach its vulnerability service, having
checked nothing. With --strict it exits non-zero; this wrapper then says whether that was
a finding or an audit that could not run, in one line per lock file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from resume_tools.artifacts.package import requirement_lines

# What pip-audit prints when the service could not answer for a package.
_UNREACHABLE = (
    "could not be audited",
    "ConnectionError",
    "ProxyError",
    "Max retries exceeded",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
)


def audit_lock(pip_audit: str, lock: Path) -> tuple[bool, str]:
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
