"""Ship everything: prepare, apply state -> backend -> frontend, upload the site."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume.config import STACK_KINDS, AppConfig
from resume.edge_code import API_PATH
from resume.outputs import BackendOutputs, FrontendOutputs, read_outputs
from resume_tools.artifacts.package import Package
from resume_tools.artifacts.workspace import Workspace, prepare
from resume_tools.aws import aws_client, bucket_exists
from resume_tools.deploy.site_bucket_move import empty_bucket, legacy_site_bucket
from resume_tools.deploy.site_upload import invalidate, site_files, sync
from resume_tools.deploy.smoke import smoke_check
from resume_tools.errors import OpsError
from resume_tools.log import Log
from resume_tools.terraform.stack_runner import StackRunner


@dataclass(frozen=True)
class Deployment:
    """What a deploy produced and what it changed."""

    frontend: FrontendOutputs
    backend: BackendOutputs
    changed_stacks: tuple[str, ...]
    changed_site_files: tuple[str, ...]
    package: Package


def deploy(
    root: Path,
    config: AppConfig,
    env: Mapping[str, str],
    log: Log,
) -> Deployment:
    """Package, synthesize and apply every stack in dependency order, then publish the site.

    The site's pages call the counter at their own /api/ (the distribution's API behaviour).
    """
    workspace = prepare(root, config, env, log)
    runners = workspace.runners
    target = _Target(aws_client("s3", config), workspace, config.prefix, log)
    changed: list[str] = []
    applied: list[str] = []
    try:
        for kind in STACK_KINDS:
            if APPLY_STEPS[kind](runners[kind], target):
                changed.append(kind)
            applied.append(kind)
    except OpsError as exc:
        done = ", ".join(applied) or "none"
        raise OpsError(f"{exc} [stacks applied before this: {done}]") from exc
    frontend = read_outputs(FrontendOutputs, runners["frontend"].outputs())
    backend = read_outputs(BackendOutputs, runners["backend"].outputs())
    log("site: upload")
    keys = sync(target.s3, frontend.bucket_name, site_files(root / config.site_dir, API_PATH))
    if keys:
        invalidation = invalidate(aws_client("cloudfront", config), frontend.distribution_id, keys)
        log(f"site: {len(keys)} file(s) changed, CloudFront invalidation {invalidation}")
    else:
        log("site: no changes")
    deployment = Deployment(
        frontend=frontend,
        backend=backend,
        changed_stacks=tuple(changed),
        changed_site_files=tuple(keys),
        package=workspace.package,
    )
    # The local cloud checks its stand-ins once they serve (moto's URLs answer nothing).
    if not config.emulated:
        checks = smoke_check(
            frontend.site_url, backend.api_url, deployed=True, attempts=6, pause_s=10
        )
        log(f"smoke check passed: {', '.join(checks)}")
    return deployment


@dataclass(frozen=True)
class _Target:
    """What the apply steps share: the account's S3, the prepared workspace, the narration."""

    s3: Any
    workspace: Workspace
    prefix: str
    log: Log


def _apply_state(runner: StackRunner, target: _Target) -> bool:
    """The state stack: on a first deploy, bootstrapped into the bucket it creates."""
    workspace = target.workspace
    if bucket_exists(target.s3, workspace.state_bucket, workspace.account_id):
        return _apply(runner, target)
    runner.bootstrap()
    return True


def _apply_frontend(runner: StackRunner, target: _Target) -> bool:
    """The frontend: a site bucket named before stages had a prefix is emptied first."""
    runner.init()
    _move_legacy_site_bucket(runner.outputs(), target.s3, target.prefix, target.log)
    return runner.apply()


def _apply(runner: StackRunner, target: _Target) -> bool:
    """Any other stack: init and apply."""
    del target  # the common signature; a plain stack needs nothing of it
    runner.init()
    return runner.apply()


# Each stack's apply step, in STACK_KINDS order: True when it changed something.
APPLY_STEPS: dict[str, Callable[[StackRunner, _Target], bool]] = {
    "state": _apply_state,
    "backend": _apply,
    "frontend": _apply_frontend,
}


def _move_legacy_site_bucket(outputs: Mapping[str, str], s3: Any, prefix: str, log: Log) -> None:
    legacy = legacy_site_bucket(outputs, prefix)
    if legacy:
        count = empty_bucket(s3, legacy)
        log(f"site: bucket {legacy} is replaced by one named {prefix}…; emptied it ({count})")
