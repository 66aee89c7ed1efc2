"""Apply the CI identity stack once per account, then say what to set in GitHub.

Run with administrator credentials from a workstation (`nox -s bootstrap -- --github-repo
OWNER/REPO`), never from a pipeline. The stack's state bucket is its own: the first run
applies with local state, then moves the state into the bucket it created.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from resume.config import KNOWN_STAGES, PLAN_STAGE, AppConfig, ConfigError
from resume.function_role import CI_POLICY_NAME
from resume.github_oidc import ISSUER
from resume.outputs import CiOutputs, read_outputs
from resume_tools.artifacts.workspace import prepare
from resume_tools.aws import aws_client, bucket_exists
from resume_tools.errors import OpsError
from resume_tools.log import Log
from resume_tools.terraform.stack_runner import STACK_FILE, StackRunner

# Environments whose deploys must come from main only.
PROTECTED_STAGES = ("staging", "prod")


@dataclass(frozen=True)
class CiIdentity:
    """What the CI stack made, and whether this run changed it."""

    repo: str
    region: str
    plan_role_arn: str
    deploy_role_arns: dict[str, str]
    reused_oidc_provider: bool
    changed: bool


def bootstrap(root: Path, config: AppConfig, env: Mapping[str, str], log: Log) -> CiIdentity:
    """Apply `<project>-ci` for config.github_repo; return the roles it holds."""
    if not config.github_repo:
        raise ConfigError("github_repo: required to bootstrap (--github-repo OWNER/REPO)")
    reuse = foreign_oidc_provider(aws_client("iam", config), config.project)
    if reuse:
        log(f"reusing the account's existing OIDC provider for {ISSUER}")
    config = replace(config, reuse_github_oidc_provider=reuse)
    workspace = prepare(root, config, env, log)
    runner = workspace.ci_runner
    if runner is None:  # prepare makes one whenever github_repo is set
        raise OpsError("the CI stack was not prepared")
    iam = aws_client("iam", config)
    if bucket_exists(aws_client("s3", config), runner.state_bucket, workspace.account_id):
        runner.init()
        changed = runner.apply(function_roles_to_adopt(iam, runner, config, runner.managed()))
    else:
        runner.bootstrap(function_roles_to_adopt(iam, runner, config, set()))
        changed = True
    outputs = read_outputs(CiOutputs, runner.outputs())
    return CiIdentity(
        repo=config.github_repo,
        region=config.region,
        plan_role_arn=outputs.plan_role_arn,
        deploy_role_arns={stage: outputs.deploy_role_arn(stage) for stage in KNOWN_STAGES},
        reused_oidc_provider=reuse,
        changed=changed,
    )


def function_roles_to_adopt(
    iam: Any, runner: StackRunner, config: AppConfig, managed: set[str]
) -> dict[str, str]:
    """{address: import id} of the stages' function roles that exist but the CI state lacks.

    A stage deployed from a laptop (or before the CI stack made these roles) has its
    function's role already, and with other sites its sites role; the CI stack takes each
    over, with its inline policy, instead of failing to create it. A policy, whatever its
    name, is adopted as the stack's, which then renames it (function_role.CI_POLICY_NAME).
    """
    stages = [replace(config, stage=stage) for stage in KNOWN_STAGES]
    names = {name for c in stages for name in (c.function_role_name, c.sites_role_name)}
    stack = json.loads((runner.stack_dir / STACK_FILE).read_text())["resource"]
    imports: dict[str, str] = {}
    for key, role in stack.get("aws_iam_role", {}).items():
        address = f"aws_iam_role.{key}"
        if role["name"] not in names or address in managed or not _role_exists(iam, role["name"]):
            continue
        imports[address] = role["name"]
        policies = iam.list_role_policies(RoleName=role["name"])["PolicyNames"]
        # The stack's own policy if the role has it (a state lost), else the one Terraform
        # named when the backend made the role.
        adopted = CI_POLICY_NAME if CI_POLICY_NAME in policies else next(iter(policies), None)
        for policy_key, policy in stack.get("aws_iam_role_policy", {}).items():
            if policy["role"] == f"${{aws_iam_role.{key}.id}}" and adopted:
                imports[f"aws_iam_role_policy.{policy_key}"] = f"{role['name']}:{adopted}"
    return imports


def _role_exists(iam: Any, name: str) -> bool:
    try:
        iam.get_role(RoleName=name)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def foreign_oidc_provider(iam: Any, project: str) -> bool:
    """True if the account has GitHub's OIDC provider and this project did not create it.

    An account holds one provider per issuer URL: a second one cannot be created, so a
    provider made by hand or by another project is reused (read by its URL), while the one
    this project's stack created (tagged with its Project) stays managed by the stack.
    """
    for provider in iam.list_open_id_connect_providers().get("OpenIDConnectProviderList", []):
        arn = provider["Arn"]
        if not arn.endswith(f"/{ISSUER}"):
            continue
        tags = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn).get("Tags", [])
        ours = {"Key": "Project", "Value": project} in tags
        return not ours
    return False


def github_setup(identity: CiIdentity) -> list[str]:
    """The commands that point the repository at the roles (GitHub CLI, `gh`)."""
    repo = identity.repo
    lines = [
        "# Environments (deploys to staging and prod only from main; add reviewers to prod):",
    ]
    for stage in KNOWN_STAGES:
        lines.append(f"gh api -X PUT repos/{repo}/environments/{stage}" + _branch_rule(stage))
        if stage in PROTECTED_STAGES:
            lines.append(
                f"gh api -X POST repos/{repo}/environments/{stage}/deployment-branch-policies "
                "-f name=main -f type=branch"
            )
    lines.append("# Variables: the plan role for pull requests, one deploy role per environment:")
    lines.append(f"gh variable set AWS_REGION --repo {repo} --body {identity.region}")
    lines.append(f"gh variable set AWS_PLAN_ROLE_ARN --repo {repo} --body {identity.plan_role_arn}")
    for stage, arn in identity.deploy_role_arns.items():
        lines.append(
            f"gh variable set AWS_DEPLOY_ROLE_ARN --repo {repo} --env {stage} --body {arn}"
        )
    lines.append(f"# Pull requests plan the {PLAN_STAGE} stage with the read-only plan role.")
    return lines


def _branch_rule(stage: str) -> str:
    if stage not in PROTECTED_STAGES:
        return ""
    return (
        " -F 'deployment_branch_policy[protected_branches]=false'"
        " -F 'deployment_branch_policy[custom_branch_policies]=true'"
    )
