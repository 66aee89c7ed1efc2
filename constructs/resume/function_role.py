"""The counter function's role: only Lambda assumes it, and it may do GRANTS and no more.

Who makes it decides who can change it. Deployed from a laptop, the backend stack makes it.
Deployed from GitHub, the CI stack does (applied by an administrator with `nox -s
bootstrap`): a stage's deploy role then only passes it to Lambda, and holds no IAM write at
all, so no branch's deploy can make the role trust another principal or grant it more.

With other sites, the sites role is made beside it, by the same hand, under the same
boundary: each other site's items are read and written in a session of it tagged with the
site's id, and its grants name that tag's keys only, so IAM keeps each site's router to its
own site (visitor_counter.site_sessions). The function's own role keeps the first site's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from cdktf import Fn, TerraformResource, TerraformResourceLifecycle
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
    SESSION_ACTIONS,
    SITE_SESSION_GRANTS,
    TAGGED_SITE_KEYS,
    Condition,
    FunctionResources,
    Grant,
    condition_json,
    grant_conditions,
    granted,
)
from resume.parliament_notes import accept_parliament_findings
from visitor_counter.schema import SITE_SESSION_S

# The Terraform addresses of the roles and their policies as the backend stack makes them
# (a construct's address hashes its path in the stack: function/role, function/policy, and
# with other sites function/sites-role, function/sites-policy). A test pins them against a
# laptop synth. Forgetting one a stack never made does nothing.
LAPTOP_MADE_ROLE = (
    "aws_iam_role.function_role_2E3FB14F",
    "aws_iam_role.function_sites-role_65A53D27",
    "aws_iam_role_policy.function_policy_1462D1DE",
    "aws_iam_role_policy.function_sites-policy_DC66B292",
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


@dataclass(frozen=True)
class FunctionRoles:
    """The function's role, and the sites role its other sites' sessions are of ("": none)."""

    role_arn: str
    sites_role_arn: str = ""
    # The roles' policies, made in the same stack: what the function waits for (a laptop's
    # deploy); none when the CI stack made them.
    grants: tuple[TerraformResource, ...] = ()


def function_role(
    scope: Construct,
    *,
    name: str,
    resources: FunctionResources,
    site_ids: Sequence[str],
    tracing: bool,
    sites_role_name: str,
    permissions_boundary: str | None = None,
    policy_name: str | None = None,
) -> FunctionRoles:
    """The role `name` in `scope` (constructs "role", "permissions" and "policy").

    With other sites (`site_ids` past the first), the sites role `sites_role_name` too
    (constructs "sites-role", "sites-permissions" and "sites-policy"), under the same
    boundary. `resources`: the ARNs the grants name (the sites role's is filled in here);
    `tracing`: X-Ray's grant too; `policy_name`: the inline policies' (None: Terraform's).
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
    sites_role_arn = ""
    grants: list[TerraformResource] = []
    if len(site_ids) > 1:
        sites_role = IamRole(
            scope,
            "sites-role",
            name=sites_role_name,
            assume_role_policy=json.dumps(sites_trust_policy(role.arn, site_ids), sort_keys=True),
            permissions_boundary=permissions_boundary,
            max_session_duration=SITE_SESSION_S,
        )
        accept_parliament_findings(
            sites_role, {"MALFORMED": "A trust policy has no Resource: the role is the resource."}
        )
        tagged_keys: list[Condition] = [(OWN_SITE_TEST, LEADING_KEYS, [*TAGGED_SITE_KEYS])]
        grants.append(
            _inline_policy(
                scope,
                "sites-",
                sites_role,
                [_statement(grant, resources, tagged_keys) for grant in SITE_SESSION_GRANTS],
                policy_name,
            )
        )
        sites_role_arn = sites_role.arn
        resources = replace(resources, sites_role=sites_role_arn)
    grants.append(
        _inline_policy(
            scope,
            "",
            role,
            [
                _statement(grant, resources, grant_conditions(grant, site_ids))
                for grant in GRANTS
                if granted(grant, site_ids, tracing=tracing)
            ],
            policy_name,
        )
    )
    return FunctionRoles(role_arn=role.arn, sites_role_arn=sites_role_arn, grants=tuple(grants))


def sites_trust_policy(function_role_arn: str, site_ids: Sequence[str]) -> dict[str, Any]:
    """Who may take a session of the sites role: the function's role, tagged as one site.

    The account, on condition that the caller is the function's role: a role named as the
    principal becomes its unique id in IAM, and a re-made function role would silently lose
    the trust. The tag conditions are the function's role's own (grant_conditions).
    """
    parts = Fn.split(":", function_role_arn)
    account_root = Fn.format("arn:%s:iam::%s:root", [Fn.element(parts, 1), Fn.element(parts, 4)])
    (session_grant,) = (grant for grant in GRANTS if grant.site_sessions)
    conditions: dict[str, dict[str, Any]] = {
        "ArnEquals": {"aws:PrincipalArn": function_role_arn},
        **condition_json(grant_conditions(session_grant, site_ids)),
    }
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": account_root},
                "Action": list(SESSION_ACTIONS),
                "Condition": conditions,
            }
        ],
    }


def _statement(
    grant: Grant, resources: FunctionResources, conditions: list[Condition]
) -> DataAwsIamPolicyDocumentStatement:
    return DataAwsIamPolicyDocumentStatement(
        sid=grant.sid,
        actions=list(grant.actions),
        resources=grant.arns(resources),
        condition=[
            DataAwsIamPolicyDocumentStatementCondition(test=test, variable=variable, values=values)
            for test, variable, values in conditions
        ]
        or None,
    )


def _inline_policy(
    scope: Construct,
    prefix: str,
    role: IamRole,
    statements: list[DataAwsIamPolicyDocumentStatement],
    policy_name: str | None,
) -> IamRolePolicy:
    permissions = DataAwsIamPolicyDocument(scope, f"{prefix}permissions", statement=statements)
    return IamRolePolicy(
        scope,
        f"{prefix}policy",
        name=policy_name,
        role=role.id,
        policy=permissions.json,
        # Renaming an adopted policy (bootstrap) replaces it: the new one first, so the
        # running function is never without its grants.
        lifecycle=TerraformResourceLifecycle(create_before_destroy=True) if policy_name else None,
    )
