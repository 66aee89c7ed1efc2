"""Show what a deploy would change: init and plan every stack against its remote state.

python -m resume.ops.diff --stage dev      exit 0: no changes, 2: changes, 1: error
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from resume.config import STACK_KINDS, AppConfig, ConfigError
from resume.ops.deploy import (
    aws_client,
    bucket_exists,
    config_from_args,
    output_dir,
    parse_stage_args,
    prefixed_log,
    stack_runners,
    with_account,
)
from resume.ops.errors import OpsError
from resume.ops.package import build
from resume.ops.stacks_runner import Log
from resume.ops.synth import synthesize
from resume.ops.terraform import terraform_env

NO_CHANGES, CHANGES, FAILED = 0, 2, 1


def diff(root: Path, config: AppConfig, env: Mapping[str, str], log: Log) -> dict[str, str]:
    """{stack: plan text} for every stack that would change (empty: nothing would)."""
    config = with_account(config)
    tf_env = terraform_env(root, env)
    build(root / "function", root / config.function_zip)
    outdir = output_dir(root, config)
    synthesize(root, config, env, outdir)
    if not bucket_exists(aws_client("s3", config), config.resolved_state_bucket):
        log(f"state bucket {config.resolved_state_bucket} does not exist: nothing is deployed yet")
        return {kind: "not deployed yet: every resource would be created" for kind in STACK_KINDS}
    changes = {}
    for kind, runner in stack_runners(outdir, config, tf_env, log).items():
        runner.init()
        changed, plan = runner.plan()
        log(f"[{runner.name}] " + ("changes:" if changed else "no changes"))
        if changed:
            changes[kind] = plan
    return changes


def main(argv: list[str] | None = None) -> int:
    """CLI: print each stack's plan; the exit code says whether anything would change."""
    parser = argparse.ArgumentParser(prog="diff", description=__doc__)
    args = parse_stage_args(parser, argv, os.environ)
    try:
        config = config_from_args(args, os.environ)
        changes = diff(Path.cwd(), config, os.environ, prefixed_log("diff"))
    except (ConfigError, OpsError) as exc:
        print(f"diff: error: {exc}", file=sys.stderr)
        return FAILED
    for kind, plan in changes.items():
        print(f"\n=== {kind} ===\n{plan}")
    print("diff: " + (f"changes in {', '.join(changes)}" if changes else "no changes"))
    return CHANGES if changes else NO_CHANGES


if __name__ == "__main__":
    raise SystemExit(main())
