"""Show what a deploy would change: init and plan every stack against its remote state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from resume.config import STACK_KINDS, AppConfig
from resume_tools.artifacts.workspace import prepare
from resume_tools.aws import aws_client, bucket_exists
from resume_tools.errors import OpsError
from resume_tools.log import Log


@dataclass(frozen=True)
class StackPlan:
    """One stack's pending changes: Terraform's plan text, and (address, action) pairs."""

    text: str
    changes: list[tuple[str, str]] = field(default_factory=list)


def diff(
    root: Path, config: AppConfig, env: Mapping[str, str], log: Log, *, lock: bool = True
) -> dict[str, StackPlan]:
    """{stack kind: plan} for every stack that would change (empty: nothing would).

    `lock=False` plans without the state lock, as a read-only role must.
    """
    workspace = prepare(root, config, env, log)
    bucket = workspace.state_bucket
    if not bucket_exists(aws_client("s3", config), bucket, workspace.account_id):
        log(f"state bucket {bucket} does not exist: nothing is deployed yet")
        return {
            kind: StackPlan("not deployed yet: every resource would be created")
            for kind in STACK_KINDS
        }
    plans = {}
    # Stacks whose plan adds outputs: a later stack that reads them (the frontend reads the
    # backend's) cannot be planned against the state until they are applied.
    adding: list[str] = []
    for kind in STACK_KINDS:
        runner = workspace.runners[kind]
        runner.init()
        try:
            changed, text = runner.plan(lock=lock)
        except OpsError as exc:
            if not adding:
                raise
            log(f"[{runner.name}] not planned: {exc}")
            plans[kind] = StackPlan(not_planned(kind, adding))
            continue
        log(f"[{runner.name}] " + ("changes:" if changed else "no changes"))
        if changed:
            plans[kind] = StackPlan(text, runner.planned_changes())
            if runner.planned_new_outputs():
                adding.append(kind)
    return plans


def not_planned(kind: str, adding: list[str]) -> str:
    """Why `kind` has no plan: it reads outputs the plans of `adding` add."""
    return (
        f"not planned yet: the {kind} stack reads outputs that the {' and '.join(adding)} "
        "plan adds, so its plan needs those applied first (a deploy applies them in order)"
    )


def summary(stage: str, plans: dict[str, StackPlan]) -> str:
    """Markdown of what would change: resource addresses and actions, nothing else.

    Attribute values stay out: they can carry account ids and ARNs, and a pull request's
    job summary is as public as the repository.
    """
    lines = [f"### What a deploy of `{stage}` would change", ""]
    if not plans:
        lines.append("No changes.")
    for kind, plan in plans.items():
        lines.append(f"**{kind}**")
        if not plan.changes:
            lines.append(f"- {plan.text}")
        lines += [f"- `{address}`: {action}" for address, action in plan.changes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
