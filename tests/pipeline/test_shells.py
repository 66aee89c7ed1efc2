"""Workflow steps fail when any command of a pipe fails.

GitHub runs a `run:` step without `shell:` as `bash -e {0}`: no pipefail, so the status of
`nox -s deploy | tee deploy.txt` is tee's. With `shell: bash` it is
`bash --noprofile --norc -eo pipefail {0}`. Every step must get the latter.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.synth import PROJECT_ROOT

WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))
# GitHub's templates for Linux runners (docs: "Workflow syntax", jobs.<job_id>.steps[*].shell).
UNSPECIFIED_SHELL = ["bash", "-e", "{0}"]
BASH_SHELL = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"]
# A `|` between commands; `||` and `|` inside quotes of a grep pattern are rare enough here.
PIPE = re.compile(r"(?<![|])\|(?![|])")


def run_steps(workflow: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(job, script, effective shell) for every run step; None is GitHub's unspecified shell."""
    default = (workflow.get("defaults") or {}).get("run", {}).get("shell")
    found = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        job_default = (job.get("defaults") or {}).get("run", {}).get("shell", default)
        for step in job.get("steps") or []:
            if "run" in step:
                found.append((job_id, step["run"], step.get("shell", job_default)))
    return found


def run_as_github(template: list[str], script: str, tmp_path: Path) -> int:
    """Exit status of `script` run the way a runner runs a step with this shell template."""
    path = tmp_path / "step.sh"
    path.write_text(script)
    command = [str(path) if part == "{0}" else part for part in template]
    return subprocess.run(command, capture_output=True, check=False).returncode


def test_a_failing_command_before_a_pipe_passes_without_pipefail(tmp_path: Path) -> None:
    script = "false | tee /dev/null\n"

    assert run_as_github(UNSPECIFIED_SHELL, script, tmp_path) == 0
    assert run_as_github(BASH_SHELL, script, tmp_path) == 1


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_step_with_a_pipe_runs_under_pipefail(workflow: Path) -> None:
    steps = run_steps(yaml.safe_load(workflow.read_text()))

    unsafe = [
        f"{job}: {script.strip().splitlines()[0]}"
        for job, script, shell in steps
        if PIPE.search(script) and shell != "bash"
    ]

    assert steps
    assert unsafe == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_workflow_defaults_to_bash(workflow: Path) -> None:
    document = yaml.safe_load(workflow.read_text())

    assert document["defaults"] == {"run": {"shell": "bash"}}


def test_the_checker_finds_a_pipe_without_pipefail() -> None:
    workflow = {"jobs": {"deploy": {"steps": [{"run": "nox -s deploy | tee deploy.txt"}]}}}

    (step,) = run_steps(workflow)

    assert PIPE.search(step[1])
    assert step[2] is None
