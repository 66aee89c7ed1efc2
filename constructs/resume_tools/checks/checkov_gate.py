"""Run checkov on the synthesized stacks; pass only if every finding is accepted in place.

Checkov's terraform_json runner reads no inline skips, so each construct records
accepted findings with their reasons under the resource's "//" key (resume.checkov).
A failed check passes the gate only if the failing resource carries that id and a
reason. Everything else fails it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume_tools.errors import OpsError


@dataclass(frozen=True)
class Finding:
    """One failed check on one resource."""

    check_id: str
    resource: str
    file: str
    reason: str  # why it is accepted; empty when it is not


@dataclass(frozen=True)
class GateResult:
    """What checkov found, split into accepted and unaccepted findings."""

    passed: int
    accepted: list[Finding]
    unaccepted: list[Finding]
    parsing_errors: list[str]

    @property
    def ok(self) -> bool:
        """True when nothing is left unexplained."""
        return not self.unaccepted and not self.parsing_errors


def accepted_reasons(stack_json: dict[str, Any]) -> dict[tuple[str, str], str]:
    """{(resource name, check id): reason} from the resources' "//" blocks.

    Keyed by name alone within a stack: checkov reports some findings as "resource.<name>"
    without the type, and cdktf's names carry a unique hash suffix anyway.
    """
    reasons: dict[tuple[str, str], str] = {}
    for resources in stack_json.get("resource", {}).values():
        for name, body in resources.items():
            for skip in body.get("//", {}).get("checkov", {}).get("skip", []):
                if skip.get("comment", "").strip():
                    reasons[(name, skip["id"])] = skip["comment"]
    return reasons


def stack_files(stacks_dirs: Sequence[Path]) -> list[Path]:
    """Every synthesized stack under the given folders, in a stable order."""
    files = [file for folder in stacks_dirs for file in sorted(folder.rglob("cdk.tf.json"))]
    if not files:
        names = ", ".join(str(folder) for folder in stacks_dirs)
        raise OpsError(f"no synthesized stacks under {names}: run `nox -s synth` first")
    return files


def checkov_command(checkov: str, files: Sequence[Path], output: str) -> list[str]:
    """Checkov over the given stack files, reporting as `output`."""
    command = [checkov, "--framework", "terraform_json", "--output", output, "--quiet",
               "--compact", "--skip-download", "--soft-fail"]  # fmt: skip
    for file in files:
        command += ["--file", str(file)]
    return command


def write_sarif(checkov: str, stacks_dir: Path, sarif: Path) -> None:
    """Checkov's findings as SARIF, for GitHub code scanning."""
    with tempfile.TemporaryDirectory() as outdir:
        files = stack_files([stacks_dir])
        command = [*checkov_command(checkov, files, "sarif"), "--output-file-path", outdir]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        written = Path(outdir) / "results_sarif.sarif"
        if not written.is_file():
            raise OpsError(f"checkov wrote no SARIF report: {result.stderr.strip()[-500:]}")
        shutil.copyfile(written, sarif)


def run_checkov(checkov: str, files: Sequence[Path]) -> dict[str, Any]:
    """Checkov's JSON report for the given stack files, in one run."""
    command = checkov_command(checkov, files, "json")
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise OpsError(f"checkov gave no JSON report: {result.stderr.strip()[-500:]}") from None
    reports = report if isinstance(report, list) else [report]
    merged: dict[str, Any] = {"passed": 0, "failed": [], "parsing_errors": []}
    for item in reports:
        results = item.get("results", {})
        merged["passed"] += item.get("summary", {}).get("passed", 0)
        merged["failed"] += results.get("failed_checks", [])
        merged["parsing_errors"] += results.get("parsing_errors", [])
    return merged


def evaluate(report: dict[str, Any], files: Iterable[Path]) -> GateResult:
    """Split checkov's failures into those a resource accepts and those it does not.

    A finding is accepted only by the reason in its own stack file: the same resource name
    in another configuration's stack accepts nothing here.
    """
    # Keyed by the real path: checkov reports a file as it was named to it.
    reasons = {
        os.path.realpath(file): accepted_reasons(json.loads(file.read_text())) for file in files
    }
    accepted: list[Finding] = []
    unaccepted: list[Finding] = []
    for failure in report["failed"]:
        address, check_id = failure["resource"], failure["check_id"]
        file = failure.get("file_abs_path", "")
        own = reasons.get(os.path.realpath(file), {}) if file else {}
        reason = own.get((address.rsplit(".", 1)[-1], check_id), "")
        finding = Finding(check_id, address, file, reason)
        (accepted if reason else unaccepted).append(finding)
    return GateResult(report["passed"], accepted, unaccepted, list(report["parsing_errors"]))


def gate(checkov: str, stacks_dirs: Sequence[Path]) -> GateResult:
    """Run checkov once over every stack under the given folders and evaluate its findings."""
    files = stack_files(stacks_dirs)
    return evaluate(run_checkov(checkov, files), files)
