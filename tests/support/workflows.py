"""The GitHub Actions workflows as data."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.support.synth import PROJECT_ROOT

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    """A workflow as data (PyYAML reads the `on:` key as True; it is put back as "on")."""
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True)
    return document


def runs_on(job: dict[str, Any], event: str) -> bool:
    """False when the job's `if:` excludes the event by name; the workflow's triggers aside."""
    condition = str(job.get("if", ""))
    excluded = f"github.event_name != '{event}'" in condition
    only_other = "github.event_name == '" in condition and f"== '{event}'" not in condition
    return not (excluded or only_other)


def pull_request_jobs() -> dict[str, dict[str, Any]]:
    """Every job, by workflow/job, that runs for a pull request."""
    found = {}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = load(path.name)
        if "pull_request" not in workflow["on"]:
            continue
        for name, job in workflow["jobs"].items():
            if runs_on(job, "pull_request"):
                found[f"{path.name}/{name}"] = job
    return found


_CONTEXT_PATH = re.compile(r"\b(?:github|inputs)(?:\.[A-Za-z_]+)+")


def evaluate(condition: str, context: dict[str, str]) -> bool:
    """A job's `if:` of ==, !=, &&, || and parentheses over context paths, as GitHub does.

    A path missing from `context` is '' (GitHub's null compares and ORs like it). Any
    other expression syntax raises, so a test cannot pass by misreading a condition.
    """
    python = _CONTEXT_PATH.sub(lambda m: repr(context.get(m.group(0), "")), condition)
    python = python.replace("&&", " and ").replace("||", " or ")
    if re.sub(r"'[^']*'|==|!=|\band\b|\bor\b|[()\s]", "", python):
        raise ValueError(f"unsupported expression: {condition}")
    return bool(eval(python, {"__builtins__": {}}, {}))  # noqa: S307 (our own workflow text)
