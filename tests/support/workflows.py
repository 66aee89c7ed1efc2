"""The GitHub Actions workflows as data."""

from __future__ import annotations

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
