"""The SNS topic alarms and the budget notify; with `encrypt_alarm_topic`, a key of its own.

Only this stack's alarms and budget may publish to it (the topic policy). Its messages are
alarm and budget notices (names, metric values, thresholds): no visitor data, and the
e-mail subscription delivers them as plain mail anyway. So by default the topic has no
server-side encryption: the only key CloudWatch can use costs $1 a month, more than all
the rest of a small site's bill (checkov's CKV_AWS_26 is accepted on the topic saying so).

CloudWatch can publish to an encrypted topic only when the key's policy lets
cloudwatch.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt (SNS guide, "Enable
compatibility between event sources from AWS services and encrypted topics"). The
AWS-managed alias/aws/sns key's policy cannot be changed, so alarms on a topic encrypted
with it deploy cleanly and deliver nothing. This customer-managed key grants CloudWatch
exactly that, for this account's alarms of this stack only (aws:SourceAccount,
aws:SourceArn), and the topic policy lets only those alarms publish. AWS Budgets needs the
same of an encrypted topic (Budgets guide, "Creating an Amazon SNS topic for budget
notifications"): both policies grant budgets.amazonaws.com the same, for this stack's
budget only.
"""

from __future__ import annotations

import json
from typing import Any

from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy

from constructs import Construct
from resume.checkov import accept_findings

KEY_DELETION_WINDOW_DAYS = 30
CLOUDWATCH = "cloudwatch.amazonaws.com"
BUDGETS = "budgets.amazonaws.com"
# What the account's administrators need to manage (not use) the key, named one by one.
KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey",
    "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants",
    "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy",
    "kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource",
    "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
]  # fmt: skip
# As AWS documents it for an AWS service publishing to an encrypted SNS topic.
PUBLISHER_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"]
UNENCRYPTED_TOPIC_REASONS = {
    "CKV_AWS_26": "Alarm and budget notices only (names, metric values, thresholds; no "
    "visitor data), delivered as plain e-mail; the one key CloudWatch can publish with costs "
    "$1/month. encrypt_alarm_topic = true adds it.",
}


def alarm_topic(scope: Construct, *, name: str, region: str, encrypted: bool) -> SnsTopic:
    """An SNS topic for `<name>-*` alarms; `encrypted`: with its own rotating KMS key.

    Built in the caller's scope with the id the topic always had ("topic"), so existing
    deployments update it in place instead of replacing it (and its subscriptions).
    """
    account = DataAwsCallerIdentity(scope, "topic-account").account_id
    partition = DataAwsPartition(scope, "topic-partition").partition
    alarms_arn = f"arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}-*"
    # Budgets are global: no region in their ARN.
    budgets_arn = f"arn:{partition}:budgets::{account}:budget/{name}-*"
    publishers = {CLOUDWATCH: alarms_arn, BUDGETS: budgets_arn}
    if encrypted:
        key = KmsKey(
            scope,
            "topic-key",
            description=f"Encrypts the {name} alarm notifications (SNS)",
            enable_key_rotation=True,
            deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
            # KMS's lockout check at CreateKey: the policy must let the caller put a policy
            # later. Its first statement gives the account kms:PutKeyPolicy, as AWS's
            # default key policy does, which delegates to the caller's IAM policy (a test
            # pins it). Not skipped: AWS advises the bypass only to lock the caller out.
            # A key policy, not an IAM policy: its Resource "*" is this key and nothing else.
            policy=json.dumps(
                _key_policy(f"arn:{partition}:iam::{account}:root", account, publishers)
            ),
        )
        KmsAlias(scope, "topic-key-alias", name=f"alias/{name}-alarms", target_key_id=key.key_id)
        topic = SnsTopic(scope, "topic", name=f"{name}-alarms", kms_master_key_id=key.arn)
    else:
        topic = SnsTopic(scope, "topic", name=f"{name}-alarms")
        accept_findings(topic, UNENCRYPTED_TOPIC_REASONS)
    topic_policy = DataAwsIamPolicyDocument(
        scope,
        "topic-policy-document",
        statement=[
            DataAwsIamPolicyDocumentStatement(
                sid=sid,
                principals=[
                    DataAwsIamPolicyDocumentStatementPrincipals(
                        type="Service", identifiers=[service]
                    )
                ],
                actions=["sns:Publish"],
                resources=[topic.arn],
                condition=[
                    DataAwsIamPolicyDocumentStatementCondition(
                        test="StringEquals", variable="aws:SourceAccount", values=[account]
                    ),
                    DataAwsIamPolicyDocumentStatementCondition(
                        test="ArnLike", variable="aws:SourceArn", values=[source_arn]
                    ),
                ],
            )
            for sid, (service, source_arn) in zip(
                ("CloudWatchAlarmsPublish", "BudgetsPublish"), publishers.items(), strict=True
            )
        ],
    )
    SnsTopicPolicy(scope, "topic-policy", arn=topic.arn, policy=topic_policy.json)
    return topic


def _key_policy(account_root: str, account: str, publishers: dict[str, str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersTheKey",
                "Effect": "Allow",
                "Principal": {"AWS": account_root},
                "Action": KEY_ADMIN_ACTIONS,
                "Resource": "*",
            },
            *(
                {
                    "Sid": sid,
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": PUBLISHER_KEY_ACTIONS,
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account},
                        "ArnLike": {"aws:SourceArn": source_arn},
                    },
                }
                for sid, (service, source_arn) in zip(
                    ("CloudWatchAlarmsEncryptNotifications", "BudgetsEncryptNotifications"),
                    publishers.items(),
                    strict=True,
                )
            ),
        ],
    }
