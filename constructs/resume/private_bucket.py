"""A private, encrypted, versioned S3 bucket: the base of both the state and the site bucket."""

from __future__ import annotations

from collections.abc import Sequence

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
)
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import (
    S3BucketOwnershipControls,
    S3BucketOwnershipControlsRule,
)
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
)
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA as SseByDefault,  # noqa: E501 - the generated name alone is 82 characters
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import (
    S3BucketVersioningA,
    S3BucketVersioningVersioningConfiguration,
)

from constructs import Construct
from resume.checkov import accept_findings

BUCKET_FINDINGS = {
    "CKV_AWS_18": "Access logs would need a third bucket; CloudTrail data events cover audits.",
    "CKV_AWS_144": "Cross-region replication doubles cost; versioning covers recovery.",
    "CKV_AWS_145": "SSE-S3 (AES-256) encrypts at rest without a KMS key's cost and key policy.",
    "CKV2_AWS_62": "Nothing consumes bucket events.",
}


class PrivateBucket(Construct):
    """S3 bucket with public access blocked, SSE, versioning, owner-enforced ACLs, TLS only.

    Call `attach_policy` once with the bucket's Allow statements; it adds a Deny of
    plain-HTTP access to them. Old object versions expire after `noncurrent_days`.
    `emulated` leaves out what moto cannot serve: the lifecycle rule (the provider's
    read-back of it takes about a minute there) and the TLS-only Deny (moto speaks
    plain HTTP on loopback, and enforces that Deny).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        bucket_name: str | None,
        noncurrent_days: int,
        emulated: bool,
        prevent_destroy: bool = False,
        bucket_prefix: str | None = None,
    ) -> None:
        super().__init__(scope, id_)
        self.bucket = S3Bucket(
            self,
            "bucket",
            bucket=bucket_name,
            bucket_prefix=bucket_prefix,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=prevent_destroy),
        )
        accept_findings(self.bucket, BUCKET_FINDINGS)
        self.public_access_block = S3BucketPublicAccessBlock(
            self,
            "public-access-block",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
        S3BucketOwnershipControls(
            self,
            "ownership",
            bucket=self.bucket.id,
            rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
        )
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "encryption",
            bucket=self.bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default=SseByDefault(sse_algorithm="AES256"),
                    bucket_key_enabled=True,
                )
            ],
        )
        S3BucketVersioningA(
            self,
            "versioning",
            bucket=self.bucket.id,
            versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        self._emulated = emulated
        if not emulated:
            S3BucketLifecycleConfiguration(
                self,
                "lifecycle",
                bucket=self.bucket.id,
                rule=[
                    S3BucketLifecycleConfigurationRule(
                        id="expire-noncurrent-versions",
                        status="Enabled",
                        filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                        noncurrent_version_expiration=[
                            S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                                noncurrent_days=noncurrent_days
                            )
                        ],
                        abort_incomplete_multipart_upload=[
                            S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                                days_after_initiation=7
                            )
                        ],
                    )
                ],
            )

    def attach_policy(self, grants: Sequence[DataAwsIamPolicyDocumentStatement]) -> None:
        """Set the bucket policy: `grants` plus TLS only."""
        tls_only = [] if self._emulated else [_deny_plain_http(self.bucket.arn)]
        policy = DataAwsIamPolicyDocument(self, "policy-document", statement=[*grants, *tls_only])
        S3BucketPolicy(
            self,
            "policy",
            bucket=self.bucket.id,
            policy=policy.json,
            # S3 rejects a policy while the public access block is being written.
            depends_on=[self.public_access_block],
        )


def _deny_plain_http(bucket_arn: str) -> DataAwsIamPolicyDocumentStatement:
    return DataAwsIamPolicyDocumentStatement(
        sid="DenyInsecureTransport",
        effect="Deny",
        principals=[DataAwsIamPolicyDocumentStatementPrincipals(type="*", identifiers=["*"])],
        actions=["s3:*"],
        resources=[bucket_arn, f"{bucket_arn}/*"],
        condition=[
            DataAwsIamPolicyDocumentStatementCondition(
                test="Bool", variable="aws:SecureTransport", values=["false"]
            )
        ],
    )
