"""The counter function's role: only Lambda assumes it, and it may do GRANTS and no more.

Who makes it decides who can change it. Deployed from a laptop, the backend stack makes it.
Deployed from GitHub, the CI stack does (applied by an administrator with `nox -s
bootstrap`): a stage's deploy role then only passes it to Lambda, and holds no IAM write at
all, so no branch's deploy can make the role trust another principal or grant it more.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy

from constructs import Construct
from resume.function_grants import (
    GRANTS,
    LEADING_KEYS,
    OWN_SITE_TEST,
    FunctionResources,
    own_site_keys,
)
from resume.parliament_notes import accept_parliament_findings

# The Terraform addresses of the role and its policy as the backend stack makes them (a
# construct's address hashes its path in the stack: function/role, function/policy). A test
# pins them against a laptop synth.
LAPTOP_MADE_ROLE = (
    "aws_iam_role.function_role_2E3FB14F",
    "aws_iam_role_policy.function_policy_1462D1DE",
)
# The inline policy's name when the CI stack makes the role.
CI_POLICY_NAME = "grants"
# Only Lambda may assume the function's role.
LAMBDA_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def function_role(
    scope: Construct,
    *,
    name: str,
    resources: FunctionResources,
    site_ids: Sequence[str],
    tracing: bool,
    permissions_boundary: str | None = None,
    policy_name: str | None = None,
) -> IamRole:
    """The role `name` in `scope` (constructs "role", "permissions" and "policy").

    `resources`: the ARNs the grants name; `tracing`: X-Ray's grant too;
    `policy_name`: the inline policy's (None: Terraform generates one).
    """
    role = IamRole(
        scope,
        "role",
        name=name,
        assume_role_policy=json.dumps(LAMBDA_TRUST_POLICY, sort_keys=True),
        permissions_boundary=permissions_boundary,
    )
    accept_parliament_findings(
        role, {"MALFORMED": "A trust policy has no Resource: the role is the resource."}
    )
    own_site_items = [
        DataAwsIamPolicyDocumentStatementCondition(
            test=OWN_SITE_TEST, variable=LEADING_KEYS, values=own_site_keys(site_ids)
        )
    ]
    permissions = DataAwsIamPolicyDocument(
        scope,
        "permissions",
        statement=[
            DataAwsIamPolicyDocumentStatement(
                sid=grant.sid,
                actions=list(grant.actions),
                resources=grant.arns(resources),
                condition=own_site_items if grant.own_site_items else None,
            )
            for grant in GRANTS
            if tracing or not grant.tracing_only
        ],
    )
    IamRolePolicy(
        scope,
        "policy",
        name=policy_name,
        role=role.id,
        policy=permissions.json,
        # Renaming an adopted policy (bootstrap) replaces it: the new one first, so the
        # running function is never without its grants.
        lifecycle=TerraformResourceLifecycle(create_before_destroy=True) if policy_name else None,
    )
    return role
