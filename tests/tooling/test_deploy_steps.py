"""The deploy applies every stack kind, in order, each through its own named step."""

from __future__ import annotations

from resume.config import STACK_KINDS
from resume_tools.deploy.deploy import APPLY_STEPS


def test_every_stack_kind_has_its_apply_step_in_deploy_order() -> None:
    assert tuple(APPLY_STEPS) == STACK_KINDS
