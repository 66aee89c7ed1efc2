"""The daily table (salts, clients): nothing restorable, and no principal but the function in.

moto neither evaluates resource policies nor keeps backups, so what AWS would do is pinned
here on the synthesized JSON: the table's settings, and the policy evaluated for principals.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import Any

import pytest

from tests.support.policies import render
from tests.support.synth import Synthesized, daily_table, only, policy_statements

FUNCTION_ROLE = "arn:aws:iam::123456789012:role/cloud-resume-dev-counter-role"
# Written out here, not imported: AWS's list of item actions a table's resource policy
# governs (reads, and writes whose ReturnValues read).
ITEM_ACTIONS = [
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PartiQLDelete",
    "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate",
    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
]  # fmt: skip
# Every way to a copy that outlives the day: denied to everyone, the function too.
COPY_ACTIONS = [
    "dynamodb:CreateBackup", "dynamodb:ExportTableToPointInTime",
    "dynamodb:RestoreTableToPointInTime", "dynamodb:UpdateContinuousBackups",
    "dynamodb:EnableKinesisStreamingDestination", "dynamodb:UpdateKinesisStreamingDestination",
]  # fmt: skip


def test_no_recovery_no_index_ttl_and_encryption(production: Synthesized) -> None:
    table = daily_table(production["backend"])

    assert table["name"] == "cloud-resume-dev-visitors-daily"
    assert table["point_in_time_recovery"] == {"enabled": False}
    assert table["ttl"] == {"attribute_name": "expires_at", "enabled": True}
    assert table["server_side_encryption"] == {"enabled": True}
    assert [a["name"] for a in table["attribute"]] == ["ID"]
    assert "global_secondary_index" not in table


def test_the_function_is_told_the_daily_table_and_allowed_its_items(
    production: Synthesized,
) -> None:
    variables = only(production["backend"], "aws_lambda_function")["environment"]["variables"]
    assert re.fullmatch(r"\$\{aws_dynamodb_table\.daily_table_\w+\.name\}",
                        variables["DAILY_TABLE_NAME"])  # fmt: skip
    statements = {s.get("sid"): s for s in policy_statements(production["backend"])}
    daily = statements["DailyItems"]
    assert daily["actions"] == [
        "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
    ]  # fmt: skip
    assert re.fullmatch(r"\$\{aws_dynamodb_table\.daily_table_\w+\.arn\}", *daily["resources"])
    assert daily["condition"][0]["values"] == ["blog", "blog#*"]


def resource_policy(production: Synthesized) -> dict[str, Any]:
    policy = only(production["backend"], "aws_dynamodb_resource_policy")
    assert re.fullmatch(r"\$\{aws_dynamodb_table\.daily_table_\w+\.arn\}", policy["resource_arn"])
    document: dict[str, Any] = json.loads(render(policy["policy"]))
    return document


def denied(document: dict[str, Any], principal_arn: str, action: str) -> bool:
    """Whether an explicit Deny of `document` applies (the only statements it has)."""
    for statement in document["Statement"]:
        assert statement["Effect"] == "Deny"
        assert statement["Principal"] == "*"
        if not any(fnmatchcase(action, pattern) for pattern in statement["Action"]):
            continue
        conditions = statement.get("Condition", {})
        assert set(conditions) <= {"ArnNotEquals"}
        excepted = conditions.get("ArnNotEquals", {}).get("aws:PrincipalArn")
        if principal_arn != excepted:
            return True
    return False


@pytest.mark.parametrize(
    "principal",
    [
        "arn:aws:iam::123456789012:role/Admin",
        "arn:aws:iam::123456789012:role/cloud-resume-ci-deploy-dev",
        "arn:aws:iam::123456789012:user/operator",
        "arn:aws:iam::123456789012:root",
    ],
)
@pytest.mark.parametrize("action", ITEM_ACTIONS)
def test_every_item_action_is_denied_to_anyone_but_the_function(
    production: Synthesized, principal: str, action: str
) -> None:
    assert denied(resource_policy(production), principal, action)


@pytest.mark.parametrize(
    "action",
    ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
)
def test_the_functions_own_calls_are_not_denied(production: Synthesized, action: str) -> None:
    assert not denied(resource_policy(production), FUNCTION_ROLE, action)


@pytest.mark.parametrize("principal", [FUNCTION_ROLE, "arn:aws:iam::123456789012:role/Admin"])
@pytest.mark.parametrize("action", COPY_ACTIONS)
def test_no_one_may_back_up_export_restore_or_stream_it(
    production: Synthesized, principal: str, action: str
) -> None:
    assert denied(resource_policy(production), principal, action)


@pytest.mark.parametrize("action", ["dynamodb:DescribeTable", "dynamodb:UpdateTimeToLive",
                                    "dynamodb:DeleteTable", "dynamodb:PutResourcePolicy",
                                    "dynamodb:TagResource"])  # fmt: skip
def test_terraform_may_still_manage_the_table(production: Synthesized, action: str) -> None:
    assert not denied(resource_policy(production), "arn:aws:iam::123456789012:role/x", action)


def test_the_policy_names_the_functions_role_and_every_read(production: Synthesized) -> None:
    policy = only(production["backend"], "aws_dynamodb_resource_policy")["policy"]
    assert re.search(r"\$\{aws_iam_role\.function_role_\w+\.arn\}", policy)
    statement = json.loads(policy)["Statement"][0]
    reads = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
             "dynamodb:PartiQLSelect"}  # fmt: skip
    assert reads <= set(statement["Action"])
    assert statement["Principal"] == "*"


def test_the_counter_and_history_tables_keep_their_recovery(production: Synthesized) -> None:
    tables = production["backend"]["resource"]["aws_dynamodb_table"].values()
    recovery = {t["name"]: t["point_in_time_recovery"]["enabled"] for t in tables}

    assert recovery == {
        "cloud-resume-dev-visitors": True,
        "cloud-resume-dev-visitors-daily": False,
        "cloud-resume-dev-visitors-history": True,
    }
