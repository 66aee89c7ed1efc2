"""Each event runs the CI checks once: a push to main through deploy's gate, a PR through ci.yml."""

from __future__ import annotations

from tests.support.workflows import load, runs_on


def runs_ci(event: str) -> int:
    """How many times the CI checks run for one event: directly, and as deploy's gate."""
    ci, deploy = load("ci.yml"), load("deploy.yml")
    via_gate = event in deploy["on"] and runs_on(deploy["jobs"]["gate"], event)
    return int(event in ci["on"]) + int(via_gate)


def test_a_push_to_main_runs_ci_once() -> None:
    assert runs_ci("push") == 1


def test_a_pull_request_runs_ci_once() -> None:
    assert runs_ci("pull_request") == 1


def test_the_deploy_waits_for_the_gate() -> None:
    assert load("deploy.yml")["jobs"]["deploy"]["needs"] == "gate"
