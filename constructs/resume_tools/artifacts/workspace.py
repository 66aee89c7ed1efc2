"""The one preparation synth, diff and deploy share: account, Terraform, package, synth.

    workspace = prepare(root, config, env, log)

resolves the state bucket's name from the account (unless only synthesizing), checks
Terraform and writes its CLI config (likewise), builds the function zip, synthesizes every
stack, and returns one object holding all of it with a Terraform runner per stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from resume.config import STACK_KINDS, AppConfig
from resume_tools.artifacts.package import Package, build
from resume_tools.artifacts.synth import SynthResult, synthesize
from resume_tools.aws import caller_account
from resume_tools.log import Log
from resume_tools.terraform.run import find_terraform, terraform_env
from resume_tools.terraform.stack_runner import StackRunner

LOCAL_OUTDIR = ".local-cloud/cdktf.out"


@dataclass(frozen=True)
class Workspace:
    """A synthesized stage, ready for Terraform."""

    config: AppConfig
    package: Package
    synth: SynthResult
    # Empty when prepared for synthesis only, which needs no account and no Terraform.
    state_bucket: str = ""
    # The account the credentials (or the emulator) act in; S3 checks bucket owners by it.
    account_id: str = ""
    # One per stack kind, in deploy order; empty when prepared for synthesis only.
    runners: dict[str, StackRunner] = field(default_factory=dict)
    # The CI identity stack's, when github_repo is configured (only bootstrap applies it).
    ci_runner: StackRunner | None = None


def output_dir(root: Path, config: AppConfig, env: Mapping[str, str]) -> Path:
    """Where a config's stacks are synthesized and where Terraform runs for them.

    $CDKTF_OUTDIR (cdktf's own variable) if set. Otherwise the local cloud has its own
    folder, so its backend settings (.terraform/) and cached synth never mix with a real
    account's.
    """
    if env.get("CDKTF_OUTDIR"):
        return Path(env["CDKTF_OUTDIR"])
    return root / (LOCAL_OUTDIR if config.emulated else "cdktf.out")


def prepare(
    root: Path, config: AppConfig, env: Mapping[str, str], log: Log, *, terraform: bool = True
) -> Workspace:
    """Everything before the first Terraform command, in one path for every tool.

    Synthesis never needs the account; Terraform does, for the state bucket's name.
    """
    tf_env, account, state_bucket, ci_bucket = None, "", "", ""
    if terraform:
        # No credentials, a missing terraform or a bad mirror stop here, before any build.
        # The account is asked for once (one STS call), for every tool that needs it.
        account = caller_account(config)
        state_bucket = replace(config, account_id=account).resolved_state_bucket
        if config.github_repo:
            ci_bucket = config.ci_state_bucket_name(account)
        find_terraform(env)
        tf_env = terraform_env(root, env, emulator_endpoint=config.emulator_endpoint)
    log("package")
    package = build(root / "function", root / config.function_zip)
    log(f"package: {package.size_bytes} bytes, sha256 {package.sha256[:16]}…"
        + (" (unchanged)" if package.reused else ""))  # fmt: skip
    outdir = output_dir(root, config, env)
    synth = synthesize(root, config, env, outdir)
    log(
        "synth: "
        + ("unchanged, reused " + outdir.name if synth.reused else "synthesized all stacks")
    )
    if tf_env is None:
        return Workspace(config, package, synth)
    runners = {
        kind: StackRunner(
            outdir / "stacks" / config.stack_name(kind),
            tf_env,
            log,
            state_bucket=state_bucket,
            lock_root=root,
        )
        for kind in STACK_KINDS
    }
    ci_runner = (
        StackRunner(
            outdir / "stacks" / config.ci_stack_name,
            tf_env,
            log,
            state_bucket=ci_bucket,
            lock_root=root,
        )
        if ci_bucket
        else None
    )
    return Workspace(config, package, synth, state_bucket, account, runners, ci_runner)
