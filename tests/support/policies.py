"""Every IAM policy the synthesized stacks write, as the JSON AWS would receive.

Policies come from `aws_iam_policy_document` data sources and from JSON strings on
resources (`policy`, `assume_role_policy`). Terraform references inside them become
plausible values of the right shape, so a linter can check ARN formats against actions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from resume.parliament_notes import ACCEPT_PATH

ACCOUNT = "123456789012"
# What a reference to each resource type's `arn` stands for.
SAMPLE_ARNS = {
    "aws_cloudfront_distribution": f"arn:aws:cloudfront::{ACCOUNT}:distribution/E2EXAMPLE",
    "aws_cloudwatch_log_group": f"arn:aws:logs:eu-west-2:{ACCOUNT}:log-group:/aws/lambda/x",
    "aws_dynamodb_table": f"arn:aws:dynamodb:eu-west-2:{ACCOUNT}:table/cloud-resume-dev-visitors",
    "aws_iam_role": f"arn:aws:iam::{ACCOUNT}:role/cloud-resume-dev-counter-role",
    "aws_iam_openid_connect_provider": (
        f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
    ),
    "aws_s3_bucket": "arn:aws:s3:::cloud-resume-dev-example",
    "aws_sns_topic": f"arn:aws:sns:eu-west-2:{ACCOUNT}:cloud-resume-dev-alarms",
}
_REFERENCE = re.compile(r"\$\{([^}]+)\}")
_POLICY_ATTRIBUTES = ("policy", "assume_role_policy")


@dataclass(frozen=True)
class Policy:
    """One policy document and where it comes from."""

    stack: str
    address: str
    document: dict[str, Any]
    # Parliament issue codes the resource accepts, with reasons (resume/parliament_notes).
    accepted: dict[str, str]


def every_policy(stacks: dict[str, dict[str, Any]]) -> list[Policy]:
    """All policies of all stacks (name -> cdk.tf.json), references rendered."""
    found = []
    for stack, document in stacks.items():
        for name, data in document.get("data", {}).get("aws_iam_policy_document", {}).items():
            found.append(
                Policy(stack, f"data.aws_iam_policy_document.{name}", _from_data(data), {})
            )
        for resource_type, resources in document.get("resource", {}).items():
            for name, resource in resources.items():
                for attribute in _POLICY_ATTRIBUTES:
                    text = resource.get(attribute)
                    if isinstance(text, str) and text.lstrip().startswith("{"):
                        found.append(
                            Policy(
                                stack,
                                f"{resource_type}.{name}.{attribute}",
                                json.loads(render(text)),
                                _accepted(resource),
                            )
                        )
    return found


def render(text: str) -> str:
    """Replace each Terraform reference with a value of the shape AWS would see."""
    return _REFERENCE.sub(lambda match: _value(match.group(1)), text)


def _value(reference: str) -> str:
    if reference.startswith('format("arn:%s:iam::%s:root"'):  # the account of a role's ARN
        return f"arn:aws:iam::{ACCOUNT}:root"
    parts = reference.split(".")
    if parts[:2] == ["data", "aws_partition"]:
        return "aws"
    if parts[:2] == ["data", "aws_caller_identity"]:
        return ACCOUNT
    if parts[-1] == "arn" and parts[0] in SAMPLE_ARNS:
        return SAMPLE_ARNS[parts[0]]
    raise ValueError(f"no sample value for the reference ${{{reference}}}")


def _from_data(data: dict[str, Any]) -> dict[str, Any]:
    """An aws_iam_policy_document's statements as IAM JSON."""
    statements = []
    for item in data.get("statement", []):
        statement: dict[str, Any] = {"Effect": item.get("effect", "Allow")}
        if "sid" in item:
            statement["Sid"] = item["sid"]
        if "actions" in item:
            statement["Action"] = item["actions"]
        if "resources" in item:
            statement["Resource"] = [render(r) for r in item["resources"]]
        principals = item.get("principals", [])
        if principals == [{"type": "*", "identifiers": ["*"]}]:
            statement["Principal"] = "*"  # how Terraform renders an anonymous principal
        elif principals:
            statement["Principal"] = {
                p["type"]: [render(i) for i in p["identifiers"]] for p in principals
            }
        conditions: dict[str, dict[str, Any]] = {}
        for condition in item.get("condition", []):
            values = [render(v) for v in condition["values"]]
            # One value as a scalar: parliament crashes on a list-valued Bool condition.
            conditions.setdefault(condition["test"], {})[condition["variable"]] = (
                values[0] if len(values) == 1 else values
            )
        if conditions:
            statement["Condition"] = conditions
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def _accepted(resource: dict[str, Any]) -> dict[str, str]:
    notes: Any = resource
    for key in ACCEPT_PATH.split("."):  # "//.parliament.accept" nests one level per part
        notes = notes.get(key, {})
    return {note["issue"]: note["comment"] for note in notes or []}
