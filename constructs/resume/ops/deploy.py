"""Ship everything: package, synth, apply state -> frontend -> backend, upload the site.

python -m resume.ops.deploy --stage dev [--region eu-west-2]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from resume.config import KNOWN_STAGES, STACK_KINDS, AppConfig, ConfigError, load_config
from resume.ops.errors import OpsError
from resume.ops.package import Package, build
from resume.ops.site_upload import invalidate, site_files, sync
from resume.ops.stacks_runner import Log, StackRunner
from resume.ops.synth import synthesize
from resume.ops.terraform import find_terraform, terraform_env

LOCAL_OUTDIR = ".local-cloud/cdktf.out"


@dataclass(frozen=True)
class Deployment:
    """What a deploy produced and what it changed."""

    site_url: str
    api_url: str
    bucket_name: str
    distribution_id: str
    function_name: str
    table_name: str
    changed_stacks: tuple[str, ...]
    changed_site_files: tuple[str, ...]
    package: Package


def aws_client(service: str, config: AppConfig) -> Any:
    """A boto3 client for the target account, or for the emulator when configured."""
    import boto3

    return boto3.client(
        service, region_name=config.region, endpoint_url=config.emulator_endpoint or None
    )


def bucket_exists(s3: Any, bucket: str) -> bool:
    """True if the bucket exists and is ours to use."""
    from botocore.exceptions import ClientError, EndpointConnectionError

    try:
        s3.head_bucket(Bucket=bucket)
    except EndpointConnectionError as exc:
        raise OpsError(f"cannot reach S3: {exc}") from exc
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchBucket", "NotFound"):
            return False
        raise
    return True


def with_account(config: AppConfig) -> AppConfig:
    """Fill in the account id from the caller's credentials when the state bucket needs it."""
    if config.state_bucket or config.account_id or config.emulated:
        return config
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        account = aws_client("sts", config).get_caller_identity()["Account"]
    except (BotoCoreError, ClientError) as exc:
        raise OpsError(
            f"no usable AWS credentials to name the state bucket ({exc}): configure them, or "
            "set RESUME_STATE_BUCKET or RESUME_ACCOUNT_ID (`nox -s dev` needs none of this)"
        ) from exc
    return replace(config, account_id=account)


def output_dir(root: Path, config: AppConfig) -> Path:
    """Where a config's stacks are synthesized and where Terraform runs for them.

    The local cloud has its own folder, so its backend settings (.terraform/) and cached
    synth never mix with a real account's.
    """
    return root / (LOCAL_OUTDIR if config.emulated else "cdktf.out")


def stack_runners(
    outdir: Path, config: AppConfig, tf_env: Mapping[str, str], log: Log
) -> dict[str, StackRunner]:
    """One runner per stack kind, in deploy order."""
    return {
        kind: StackRunner(outdir / "stacks" / config.stack_name(kind), tf_env, log)
        for kind in STACK_KINDS
    }


def deploy(
    root: Path,
    config: AppConfig,
    env: Mapping[str, str],
    log: Log,
    *,
    site_api_url: str | None = None,
) -> Deployment:
    """Package, synthesize and apply every stack in dependency order, then publish the site.

    `site_api_url` replaces the API URL the page calls (the local cloud's own API server).
    """
    config = with_account(config)
    # Missing tools or a bad mirror stop here, before anything is built or applied.
    find_terraform(env)
    tf_env = terraform_env(root, env)
    log("package")
    package = build(root / "function", root / config.function_zip)
    log(f"package: {package.size_bytes} bytes, sha256 {package.sha256[:16]}…"
        + (" (unchanged)" if package.reused else ""))  # fmt: skip
    outdir = output_dir(root, config)
    synth = synthesize(root, config, env, outdir)
    log("synth: " + ("unchanged, reused cdktf.out" if synth.reused else "synthesized all stacks"))
    runners = stack_runners(outdir, config, tf_env, log)
    changed: list[str] = []
    applied: list[str] = []
    s3 = aws_client("s3", config)
    try:
        for kind in STACK_KINDS:
            runner = runners[kind]
            if kind == "state" and not bucket_exists(s3, config.resolved_state_bucket):
                runner.bootstrap()
                changed.append(kind)
            else:
                runner.init()
                if runner.apply():
                    changed.append(kind)
            applied.append(kind)
    except OpsError as exc:
        done = ", ".join(applied) or "none"
        raise OpsError(f"{exc} [stacks applied before this: {done}]") from exc
    frontend, backend = runners["frontend"].outputs(), runners["backend"].outputs()
    log("site: upload")
    api_url = site_api_url or backend["api_url"]
    keys = sync(s3, frontend["bucket_name"], site_files(root / config.site_dir, api_url))
    if keys:
        invalidation = invalidate(
            aws_client("cloudfront", config), frontend["distribution_id"], keys
        )
        log(f"site: {len(keys)} file(s) changed, CloudFront invalidation {invalidation}")
    else:
        log("site: no changes")
    return Deployment(
        site_url=frontend["site_url"],
        api_url=backend["api_url"],
        bucket_name=frontend["bucket_name"],
        distribution_id=frontend["distribution_id"],
        function_name=backend["function_name"],
        table_name=backend["table_name"],
        changed_stacks=tuple(changed),
        changed_site_files=tuple(keys),
        package=package,
    )


def parse_stage_args(
    parser: argparse.ArgumentParser, argv: list[str] | None, env: Mapping[str, str]
) -> argparse.Namespace:
    """Parse --stage and --region (defaults RESUME_STAGE / RESUME_REGION); stage is required."""
    parser.add_argument("--stage", default=env.get("RESUME_STAGE"), choices=KNOWN_STAGES)
    parser.add_argument("--region", default=env.get("RESUME_REGION"))
    args = parser.parse_args(argv)
    if not args.stage:
        parser.error(f"a stage is required: --stage {{{','.join(KNOWN_STAGES)}}} or RESUME_STAGE")
    return args


def config_from_args(args: argparse.Namespace, env: Mapping[str, str]) -> AppConfig:
    """The config from the environment, with --stage/--region on top."""
    overrides = {"stage": args.stage, **({"region": args.region} if args.region else {})}
    return load_config(env, overrides)


def main(argv: list[str] | None = None) -> int:
    """CLI: deploy one stage to the AWS account of the current credentials."""
    parser = argparse.ArgumentParser(prog="deploy", description=__doc__)
    args = parse_stage_args(parser, argv, os.environ)
    try:
        config = config_from_args(args, os.environ)
        result = deploy(Path.cwd(), config, os.environ, prefixed_log("deploy"))
    except (ConfigError, OpsError) as exc:
        print(f"deploy: error: {exc}", file=sys.stderr)
        return 1
    print(f"deploy: site {result.site_url}")
    print(f"deploy: api  {result.api_url}")
    return 0


def prefixed_log(prefix: str) -> Log:
    """A Log printing each message after "prefix: ", flushed at once."""

    def log(message: str) -> None:
        print(f"{prefix}: {message}", flush=True)

    return log


if __name__ == "__main__":
    raise SystemExit(main())
