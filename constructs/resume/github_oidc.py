"""GitHub Actions' OIDC identity provider in the account, and trust policies that use it.

A trust policy pins the token's audience and its exact subject: one repository, and one
environment (deploys) or the pull_request event (plans). GitHub writes the subject as
`repo:OWNER/REPO:environment:NAME` for a job with an environment and
`repo:OWNER/REPO:pull_request` for a pull request's job without one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from constructs import Construct

ISSUER = "token.actions.githubusercontent.com"
ISSUER_URL = f"https://{ISSUER}"
AUDIENCE = "sts.amazonaws.com"


def github_oidc_provider(scope: Construct, *, reuse: bool) -> str:
    """The provider's ARN: a new provider, or the account's existing one found by its URL.

    An account has at most one provider per URL, so a second project reuses the first's.
    AWS no longer checks thumbprints for GitHub's issuer (it trusts its CA); the provider
    still accepts none.
    """
    # Imported here: the tools read this module's names without starting jsii.
    from cdktf_cdktf_provider_aws.data_aws_iam_openid_connect_provider import (
        DataAwsIamOpenidConnectProvider,
    )
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider

    arn: str
    if reuse:
        arn = DataAwsIamOpenidConnectProvider(scope, "github", url=ISSUER_URL).arn
    else:
        arn = IamOpenidConnectProvider(
            scope, "github", url=ISSUER_URL, client_id_list=[AUDIENCE]
        ).arn
    return arn


def subject(repo: str, *, environment: str | None = None) -> str:
    """The token subject of a job in an environment, or of a pull request's job."""
    return f"repo:{repo}:environment:{environment}" if environment else f"repo:{repo}:pull_request"


def trust_policy(provider_arn: str, token_subject: str) -> str:
    """Only GitHub tokens for AWS STS with exactly this subject may assume the role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "GitHubActions",
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {
                            f"{ISSUER}:aud": AUDIENCE,
                            f"{ISSUER}:sub": token_subject,
                        }
                    },
                }
            ],
        },
        sort_keys=True,
    )
