"""`nox -s bootstrap` on the local cloud: the CI stack applies, and a deploy works under it.

It runs in a moto server of its own and synthesizes into its own folder (CDKTF_OUTDIR),
so the session's local cloud and its stacks are not touched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from resume.config import EMULATOR_ACCOUNT_ID
from resume.function_role import CI_POLICY_NAME, LAMBDA_TRUST_POLICY
from resume_tools.local_cloud.cloud import LOCAL_REGION, emulator_client, emulator_env
from resume_tools.local_cloud.emulator import Emulator
from tests.support.alarm_topic import check_the_topics_own_key
from tests.support.cli import run_tool
from tests.support.cloud import free_ports

pytestmark = pytest.mark.e2e

PROJECT = "ciproof"
REPO = "octo-org/site"
# A cold apply of a stack and its state migration, or a whole deploy.
BOOTSTRAP_TIMEOUT_S = 600


def test_bootstrap_prints_the_variables_and_a_deploy_runs_under_its_boundary(
    tmp_path: Path,
) -> None:
    (port,) = free_ports(1)
    with Emulator(port) as emulator:
        check_bootstrap_then_deploy(emulator.endpoint, tmp_path)


def check_bootstrap_then_deploy(endpoint: str, tmp_path: Path) -> None:
    env = {
        **emulator_env(endpoint),
        "RESUME_EMULATOR_ENDPOINT": endpoint,
        "RESUME_REGION": LOCAL_REGION,
        "RESUME_PROJECT": PROJECT,
        "CDKTF_OUTDIR": str(tmp_path / "cdktf.out"),
        # The option the session's local cloud leaves off: its key deploys here too.
        "RESUME_ENCRYPT_ALARM_TOPIC": "true",
        # Another site: the CI stack makes the sites role too.
        "RESUME_SITES": "shop https://shop.example /**",
    }

    iam = emulator_client("iam", endpoint)
    laptop_made = deployed_from_a_laptop(iam)
    laptop_made_sites = deployed_from_a_laptop(iam, f"{PROJECT}-dev-counter-sites")

    boot = run_tool("bootstrap", "--github-repo", REPO, env=env, timeout_s=BOOTSTRAP_TIMEOUT_S)

    assert boot.returncode == 0, boot.stderr + boot.stdout
    # The CI stack adopted the role a laptop's deploy had made, and renamed its policy.
    output = boot.stderr + boot.stdout
    assert re.search(rf"adopting {laptop_made} as aws_iam_role\.\S+", output)
    assert re.search(rf"adopting {laptop_made}:terraform-\d+ as aws_iam_role_policy\.", output)
    assert iam.list_role_policies(RoleName=laptop_made)["PolicyNames"] == [CI_POLICY_NAME]
    # And the sites role, with its policy, the same way.
    assert re.search(rf"adopting {laptop_made_sites} as aws_iam_role\.\S+", output)
    assert iam.list_role_policies(RoleName=laptop_made_sites)["PolicyNames"] == [CI_POLICY_NAME]
    role = f"arn:aws:iam::{EMULATOR_ACCOUNT_ID}:role/{PROJECT}-ci"
    for stage in ("dev", "staging", "prod"):
        assert (
            f"gh variable set AWS_DEPLOY_ROLE_ARN --repo {REPO} --env {stage} "
            f"--body {role}-deploy-{stage}"
        ) in boot.stdout.splitlines()
    assert f"gh variable set AWS_PLAN_ROLE_ARN --repo {REPO} --body {role}-plan" in boot.stdout
    trust = iam.get_role(RoleName=f"{PROJECT}-ci-deploy-prod")["Role"]["AssumeRolePolicyDocument"]
    condition = trust["Statement"][0]["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:sub"] == f"repo:{REPO}:environment:prod"
    attached = iam.list_attached_role_policies(RoleName=f"{PROJECT}-ci-plan")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == [f"{PROJECT}-ci-plan-1"]
    s3 = emulator_client("s3", endpoint)
    state = s3.list_objects_v2(Bucket=f"{PROJECT}-ci-tfstate-{EMULATOR_ACCOUNT_ID}")["Contents"]
    assert [o["Key"] for o in state] == [f"{PROJECT}/ci.tfstate"]  # migrated, lock released

    deploy = run_tool(
        "deploy",
        "--stage",
        "dev",
        env={**env, "RESUME_GITHUB_REPO": REPO},
        timeout_s=BOOTSTRAP_TIMEOUT_S,
    )

    assert deploy.returncode == 0, deploy.stderr + deploy.stdout
    function_role = iam.get_role(RoleName=laptop_made)["Role"]
    assert function_role["PermissionsBoundary"]["PermissionsBoundaryArn"] == (
        f"arn:aws:iam::{EMULATOR_ACCOUNT_ID}:policy/{PROJECT}-dev-boundary"
    )
    lambda_client = emulator_client("lambda", endpoint)
    function = lambda_client.get_function(FunctionName=f"{PROJECT}-dev-counter")
    assert function["Configuration"]["Role"] == function_role["Arn"]
    sites_role = iam.get_role(RoleName=laptop_made_sites)["Role"]
    assert sites_role["PermissionsBoundary"] == function_role["PermissionsBoundary"]
    assert iam.list_role_policies(RoleName=sites_role["RoleName"])["PolicyNames"] == [
        CI_POLICY_NAME
    ]
    (trust,) = sites_role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == ["sts:AssumeRole", "sts:TagSession"]  # the adopted role's own
    variables = function["Configuration"]["Environment"]["Variables"]
    assert variables["SITES_ROLE_ARN"] == sites_role["Arn"]
    assert iam.get_policy(PolicyArn=function_role["PermissionsBoundary"]["PermissionsBoundaryArn"])
    check_the_topics_own_key(endpoint)


def deployed_from_a_laptop(iam: Any, name: str = f"{PROJECT}-dev-counter-role") -> str:
    """A dev role as a laptop's deploy leaves it (the function's, or the sites role):
    Terraform's policy name."""
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST_POLICY))
    iam.put_role_policy(
        RoleName=name,
        PolicyName="terraform-20261202000000000000000001",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}],
            }
        ),
    )
    return name


def test_bootstrap_without_a_repository_is_a_usage_error() -> None:
    result = run_tool("bootstrap")

    assert result.returncode == 2
    assert "a repository is required: --github-repo OWNER/REPO" in result.stderr


def test_bootstrap_with_a_wildcard_repository_names_the_field() -> None:
    result = run_tool("bootstrap", "--github-repo", "octo/*")

    assert result.returncode == 1
    assert result.stderr.startswith("bootstrap: error: github_repo: 'octo/*' is not valid")
