"""The bucket that holds every stack's Terraform state, with what native locking needs."""

from __future__ import annotations

from collections.abc import Callable

from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from constructs import Construct
from resume.private_bucket import PrivateBucket

# Each lock leaves a noncurrent version behind; keep old state versions for 90 days.
NONCURRENT_STATE_VERSIONS_DAYS = 90


class StateBucket(Construct):
    """Versioned, encrypted, TLS-only bucket for state objects and their .tflock files."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        bucket_name: Callable[[str], str],
        emulated: bool,
    ) -> None:
        """`bucket_name` names the bucket given the account id Terraform runs in."""
        super().__init__(scope, id_)
        account = DataAwsCallerIdentity(self, "account")
        self.storage = PrivateBucket(
            self,
            "storage",
            bucket_name=bucket_name(account.account_id),
            noncurrent_days=NONCURRENT_STATE_VERSIONS_DAYS,
            emulated=emulated,
            prevent_destroy=True,
        )
        self.bucket = self.storage.bucket
        bucket_arn = self.bucket.arn
        partition = DataAwsPartition(self, "partition").partition
        principals = [
            DataAwsIamPolicyDocumentStatementPrincipals(
                type="AWS", identifiers=[f"arn:{partition}:iam::{account.account_id}:root"]
            )
        ]
        grants = [
            DataAwsIamPolicyDocumentStatement(
                sid="ListStateKeys",
                principals=principals,
                actions=["s3:ListBucket"],
                resources=[bucket_arn],
            ),
            DataAwsIamPolicyDocumentStatement(
                sid="ReadWriteState",
                principals=principals,
                actions=["s3:GetObject", "s3:PutObject"],
                resources=[f"{bucket_arn}/*.tfstate"],
            ),
            # Native S3 locking (use_lockfile) writes, reads and deletes "<key>.tflock".
            DataAwsIamPolicyDocumentStatement(
                sid="NativeStateLocking",
                principals=principals,
                actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                resources=[f"{bucket_arn}/*.tflock"],
            ),
        ]
        self.storage.attach_policy(grants)
