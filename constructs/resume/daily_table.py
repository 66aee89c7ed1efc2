"""The daily table: today's salt and one item per address, none of it restorable.

Point-in-time recovery stays off and the TTL is on, so a day's salt is gone for good once the
next day's first view deletes it (or the TTL does). Its resource policy lets no principal
but the function's role touch its items, and nobody back it up, export it, turn recovery on
or stream it. What it cannot stop (UpdateTable turning on DynamoDB Streams, AWS Backup jobs,
changing the policy or the function) is in the README's privacy section.
"""

from __future__ import annotations

import json

from cdktf_cdktf_provider_aws.dynamodb_resource_policy import DynamodbResourcePolicy

from constructs import Construct
from resume.tables import on_demand_table
from visitor_counter import schema

# Every item action a resource policy can govern (AWS's "DynamoDB API operations supported
# by resource-based policies"): reads, and writes, whose ReturnValues can read too.
ITEM_ACTIONS = (
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PartiQLDelete",
    "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate",
    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
)  # fmt: skip
# Copies of the table that would outlive a day's salt: nobody may make one, the function
# included (all same-account actions a table's resource policy governs, by AWS's list).
COPY_ACTIONS = (
    "dynamodb:CreateBackup", "dynamodb:EnableKinesisStreamingDestination",
    "dynamodb:ExportTableToPointInTime", "dynamodb:RestoreTableToPointInTime",
    "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateKinesisStreamingDestination",
)  # fmt: skip


def only_reader_policy(table_arn: str, role_arns: list[str]) -> str:
    """The table's resource policy: items for `role_arns` only, no copies for anyone.

    Every item action is denied to all but `role_arns` (the function's role, and the sites
    role of its other sites); every backup, export, recovery and stream, to everyone.
    """
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "OnlyTheFunctionTouchesItems",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": list(ITEM_ACTIONS),
                    "Resource": table_arn,
                    # A role session's aws:PrincipalArn is the role's ARN; a negated test
                    # with several values is true when the key matches none of them.
                    "Condition": {
                        "ArnNotEquals": {
                            "aws:PrincipalArn": role_arns[0] if len(role_arns) == 1 else role_arns
                        }
                    },
                },
                {
                    "Sid": "NoCopyOutlivesTheDay",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": list(COPY_ACTIONS),
                    "Resource": table_arn,
                },
            ],
        },
        sort_keys=True,
    )


class DailyTable(Construct):
    """On-demand table, encrypted, TTL on, no point-in-time recovery, items for one role only."""

    def __init__(self, scope: Construct, id_: str, *, table_name: str) -> None:
        super().__init__(scope, id_)
        self.table = on_demand_table(
            self,
            name=table_name,
            key_types={schema.PARTITION_KEY: schema.PARTITION_KEY_TYPE},
            recovery=False,
            findings={
                "CKV_AWS_28": "Point-in-time recovery is off on purpose: a past day's salt must "
                "not be restorable, or visitors' hashes could be recomputed.",
                "CKV_AWS_119": "Encrypted with the AWS-managed KMS key; a CMK costs $1/month and "
                "the resource policy already keeps everyone but the function out.",
            },
        )
        self.name = self.table.name
        self.arn = self.table.arn

    def allow_items_only_to(self, role_arns: list[str]) -> DynamodbResourcePolicy:
        """Attach the policy that keeps every principal but `role_arns` from the items."""
        return DynamodbResourcePolicy(
            self,
            "policy",
            resource_arn=self.table.arn,
            policy=only_reader_policy(self.table.arn, role_arns),
        )
