"""A stack that reads outputs an earlier stack's plan adds is reported, not a failed diff."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from resume.config import AppConfig
from resume_tools.deploy import diff as diff_module
from resume_tools.errors import OpsError


class FakeRunner:
    """A stack runner whose plan says what the test gives it."""

    def __init__(self, name: str, changed: bool, new_outputs: list[str], fails: bool) -> None:
        self.name, self.changed, self.new_outputs, self.fails = name, changed, new_outputs, fails

    def init(self) -> None:
        """Nothing to initialise."""

    def plan(self, *, lock: bool = True) -> tuple[bool, str]:
        if self.fails:
            raise OpsError(f"{self.name}: plan failed: Unsupported attribute")
        return self.changed, "plan text"

    def planned_changes(self) -> list[tuple[str, str]]:
        return [("x.y", "update")] if self.changed else []

    def planned_new_outputs(self) -> list[str]:
        return self.new_outputs


def run_diff(monkeypatch: pytest.MonkeyPatch, runners: dict[str, FakeRunner]) -> Any:
    workspace = SimpleNamespace(state_bucket="state", account_id="1", runners=runners)
    monkeypatch.setattr(diff_module, "prepare", lambda *args, **kwargs: workspace)
    monkeypatch.setattr(diff_module, "aws_client", lambda *args: None)
    monkeypatch.setattr(diff_module, "bucket_exists", lambda *args: True)
    return diff_module.diff(Path("."), AppConfig(), {}, lambda _: None, lock=False)


def test_the_frontend_waits_for_the_outputs_the_backends_plan_adds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plans = run_diff(
        monkeypatch,
        {
            "state": FakeRunner("state", False, [], False),
            "backend": FakeRunner("backend", True, ["cross-stack-output-x"], False),
            "frontend": FakeRunner("frontend", False, [], True),
        },
    )

    assert set(plans) == {"backend", "frontend"}
    assert plans["frontend"].text == (
        "not planned yet: the frontend stack reads outputs that the backend plan adds, so its "
        "plan needs those applied first (a deploy applies them in order)"
    )


def test_a_failed_plan_with_no_new_outputs_before_it_is_still_a_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(OpsError, match="frontend: plan failed"):
        run_diff(
            monkeypatch,
            {
                "state": FakeRunner("state", False, [], False),
                "backend": FakeRunner("backend", True, [], False),
                "frontend": FakeRunner("frontend", False, [], True),
            },
        )
