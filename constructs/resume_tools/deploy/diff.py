"""Show what a deploy would change: init and plan every stack against its remote state."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from resume.config import STACK_KINDS, AppConfig
from resume_tools.aws import aws_client, bucket_exists
from resume_tools.build.workspace import prepare
from resume_tools.log import Log


def diff(root: Path, config: AppConfig, env: Mapping[str, str], log: Log) -> dict[str, str]:
    """{stack: plan text} for every stack that would change (empty: nothing would)."""
    workspace = prepare(root, config, env, log)
    bucket = workspace.state_bucket
    if not bucket_exists(aws_client("s3", config), bucket):
        log(f"state bucket {bucket} does not exist: nothing is deployed yet")
        return {kind: "not deployed yet: every resource would be created" for kind in STACK_KINDS}
    changes = {}
    for kind, runner in workspace.runners.items():
        runner.init()
        changed, plan = runner.plan()
        log(f"[{runner.name}] " + ("changes:" if changed else "no changes"))
        if changed:
            changes[kind] = plan
    return changes
