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


# The defaults, every option with the CI stack, and other sites from a laptop (the sites
# role in the backend stack): one checkov run (~7 s) for all three.
@pytest.mark.usefixtures("production", "with_ci", "two_sites_laptop")  # synthesize into *_dir
def test_the_default_and_every_option_pass_with_reasons(
    checkov: str, production_dir: Path, ci_dir: Path, two_sites_laptop_dir: Path
) -> None:
    dirs = (production_dir, ci_dir, two_sites_laptop_dir)
    result = gate(checkov, [d / "stacks" for d in dirs])

    assert result.unaccepted == []
    assert result.parsing_errors == []
    assert result.passed > 100
    assert all(finding.reason for finding in result.accepted)
    # Each configuration was read: each has findings it accepts in place.
    assert {Path(f.file).parents[2] for f in result.accepted} == set(dirs)


def test_a_finding_without_a_reason_fails_the_gate(tmp_path: Path) -> None:
    stack = tmp_path / "cdk.tf.json"
    stack.write_text(json.dumps({"resource": {"aws_s3_bucket": {"b_1": {"bucket": "x"}}}}))
    report = {"passed": 1, "parsing_errors": [], "failed": [
        {"check_id": "CKV_AWS_18", "resource": "aws_s3_bucket.b_1", "file_abs_path": str(stack)},
    ]}  # fmt: skip

    result = evaluate(report, [stack])

    assert not result.ok
    assert [f.check_id for f in result.unaccepted] == ["CKV_AWS_18"]


def test_a_reason_in_another_stack_file_accepts_nothing_here(tmp_path: Path) -> None:
    bucket = {"bucket": "x"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain, explained = tmp_path / "a" / "cdk.tf.json", tmp_path / "b" / "cdk.tf.json"
    plain.write_text(json.dumps({"resource": {"aws_s3_bucket": {"b_1": bucket}}}))
    skip = {"checkov": {"skip": [{"id": "CKV_AWS_18", "comment": "logs elsewhere"}]}}
    explained.write_text(
        json.dumps({"resource": {"aws_s3_bucket": {"b_1": {**bucket, "//": skip}}}})
    )
    failure = {"check_id": "CKV_AWS_18", "resource": "aws_s3_bucket.b_1"}
    report = {"passed": 0, "parsing_errors": [], "failed": [
        {**failure, "file_abs_path": str(plain)}, {**failure, "file_abs_path": str(explained)},
    ]}  # fmt: skip

    result = evaluate(report, [plain, explained])

    assert [f.file for f in result.unaccepted] == [str(plain)]
    assert [f.reason for f in result.accepted] == ["logs elsewhere"]
