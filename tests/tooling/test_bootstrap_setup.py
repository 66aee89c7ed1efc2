"""Bootstrap's two decisions outside Terraform: reuse an OIDC provider, and what to print."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from resume_tools.deploy.bootstrap import CiIdentity, foreign_oidc_provider, github_setup

URL = "https://token.actions.githubusercontent.com"


@pytest.fixture
def iam(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        yield boto3.client("iam", region_name="eu-west-2")


def test_no_provider_means_create_one(iam: Any) -> None:
    assert foreign_oidc_provider(iam, "cloud-resume") is False


def test_a_provider_made_elsewhere_is_reused(iam: Any) -> None:
    iam.create_open_id_connect_provider(Url=URL, ClientIDList=["sts.amazonaws.com"])

    assert foreign_oidc_provider(iam, "cloud-resume") is True


def test_the_projects_own_provider_stays_managed(iam: Any) -> None:
    iam.create_open_id_connect_provider(
        Url=URL,
        ClientIDList=["sts.amazonaws.com"],
        Tags=[{"Key": "Project", "Value": "cloud-resume"}, {"Key": "ManagedBy", "Value": "cdktf"}],
    )

    assert foreign_oidc_provider(iam, "cloud-resume") is False
    assert foreign_oidc_provider(iam, "another-project") is True


def test_other_issuers_are_not_github(iam: Any) -> None:
    iam.create_open_id_connect_provider(Url="https://gitlab.com", ClientIDList=["x"])

    assert foreign_oidc_provider(iam, "cloud-resume") is False


def test_setup_sets_each_environments_role_and_protects_staging_and_prod() -> None:
    identity = CiIdentity(
        repo="octo/site",
        region="eu-west-2",
        plan_role_arn="arn:aws:iam::1:role/p-ci-plan",
        deploy_role_arns={s: f"arn:aws:iam::1:role/p-ci-deploy-{s}" for s in ("dev", "prod")},
        reused_oidc_provider=False,
        changed=True,
    )

    lines = github_setup(identity)

    assert (
        "gh variable set AWS_DEPLOY_ROLE_ARN --repo octo/site --env prod "
        "--body arn:aws:iam::1:role/p-ci-deploy-prod"
    ) in lines
    assert (
        "gh variable set AWS_PLAN_ROLE_ARN --repo octo/site --body arn:aws:iam::1:role/p-ci-plan"
    ) in lines
    branch_rules = [line for line in lines if "deployment-branch-policies" in line]
    assert branch_rules == [
        f"gh api -X POST repos/octo/site/environments/{stage}/deployment-branch-policies "
        "-f name=main -f type=branch"
        for stage in ("staging", "prod")
    ]
    # No repository-wide deploy role: each environment has its own.
    assert not [line for line in lines if "AWS_DEPLOY_ROLE_ARN" in line and "--env" not in line]
