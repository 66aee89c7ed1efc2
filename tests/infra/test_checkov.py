"""Checkov finds nothing that a resource does not accept, with its reason, in place."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from resume_tools.checks.checkov_gate import evaluate, gate


@pytest.fixture(scope="module")
def checkov() -> str:
    path = os.environ.get("CHECKOV_BIN", "")
    missing = (
        "checkov not found: run the tests through `nox -s tests`, which installs it, "
        "or set CHECKOV_BIN to a checkov executable"
    )
    assert path, missing
    assert Path(path).exists(), missing
    return path


@pytest.mark.usefixtures("production")  # synthesizes into production_dir
def test_production_stacks_pass_with_reasons(checkov: str, production_dir: Path) -> None:
    result = gate(checkov, production_dir / "stacks")

    assert result.unaccepted == []
    assert result.parsing_errors == []
    assert result.passed > 50
    assert all(finding.reason for finding in result.accepted)


def test_a_finding_without_a_reason_fails_the_gate(tmp_path: Path) -> None:
    stack = tmp_path / "cdk.tf.json"
    stack.write_text(json.dumps({"resource": {"aws_s3_bucket": {"b_1": {"bucket": "x"}}}}))
    report = {"passed": 1, "parsing_errors": [], "failed": [
        {"check_id": "CKV_AWS_18", "resource": "aws_s3_bucket.b_1", "file_path": "/x"},
    ]}  # fmt: skip

    result = evaluate(report, [stack])

    assert not result.ok
    assert [f.check_id for f in result.unaccepted] == ["CKV_AWS_18"]


@pytest.mark.usefixtures("with_ci")  # synthesizes into ci_dir
def test_every_option_and_the_ci_stack_pass_with_reasons(checkov: str, ci_dir: Path) -> None:
    result = gate(checkov, ci_dir / "stacks")

    assert result.unaccepted == []
    assert result.parsing_errors == []
