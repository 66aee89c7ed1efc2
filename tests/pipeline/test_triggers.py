"""Each event runs the CI checks once: a push to main through deploy's gate, a PR through ci.yml."""

from __future__ import annotations

from typing import Any

import yaml

from tests.support.synth import PROJECT_ROOT

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    """A workflow as data (PyYAML reads the `on:` key as True)."""
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True)
    return document


def runs_ci(event: str) -> int:
    """How many times the CI checks run for one event: directly, and as deploy's gate."""
    ci, deploy = load("ci.yml"), load("deploy.yml")
    gate_skips = f"github.event_name != '{event}'" in deploy["jobs"]["gate"].get("if", "")
    return int(event in ci["on"]) + int(event in deploy["on"] and not gate_skips)


def test_a_push_to_main_runs_ci_once() -> None:
    assert runs_ci("push") == 1


def test_a_pull_request_runs_ci_once() -> None:
    assert runs_ci("pull_request") == 1


def test_the_deploy_waits_for_the_gate() -> None:
    assert load("deploy.yml")["jobs"]["deploy"]["needs"] == "gate"
