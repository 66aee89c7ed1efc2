"""`nox -s bootstrap` on the local cloud: the CI stack applies, and a deploy still works under it.

It runs in a moto server of its own and synthesizes into its own folder (CDKTF_OUTDIR),
so the session's local cloud and its stacks are not touched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from resume.config import EMULATOR_ACCOUNT_ID
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
    }

    boot = run_tool("bootstrap", "--github-repo", REPO, env=env, timeout_s=BOOTSTRAP_TIMEOUT_S)

    assert boot.returncode == 0, boot.stderr + boot.stdout
    role = f"arn:aws:iam::{EMULATOR_ACCOUNT_ID}:role/{PROJECT}-ci"
    for stage in ("dev", "staging", "prod"):
        assert (
            f"gh variable set AWS_DEPLOY_ROLE_ARN --repo {REPO} --env {stage} "
            f"--body {role}-deploy-{stage}"
        ) in boot.stdout.splitlines()
    assert f"gh variable set AWS_PLAN_ROLE_ARN --repo {REPO} --body {role}-plan" in boot.stdout
    iam = emulator_client("iam", endpoint)
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
    function_role = iam.get_role(RoleName=f"{PROJECT}-dev-counter-role")["Role"]
    assert function_role["PermissionsBoundary"]["PermissionsBoundaryArn"] == (
        f"arn:aws:iam::{EMULATOR_ACCOUNT_ID}:policy/{PROJECT}-dev-boundary"
    )
    assert iam.get_policy(PolicyArn=function_role["PermissionsBoundary"]["PermissionsBoundaryArn"])
    check_the_topics_own_key(endpoint)


def test_bootstrap_without_a_repository_is_a_usage_error() -> None:
    result = run_tool("bootstrap")

    assert result.returncode == 2
    assert "a repository is required: --github-repo OWNER/REPO" in result.stderr


def test_bootstrap_with_a_wildcard_repository_names_the_field() -> None:
    result = run_tool("bootstrap", "--github-repo", "octo/*")

    assert result.returncode == 1
    assert result.stderr.startswith("bootstrap: error: github_repo: 'octo/*' is not valid")
