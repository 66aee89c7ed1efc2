"""The Lambda that counts visits, its log group and its least-privilege role."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from cdktf import AssetType, TerraformAsset, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaFunctionLoggingConfig,
    LambdaFunctionTracingConfig,
)

from constructs import Construct
from resume.checkov import accept_findings
from resume.function_grants import (
    GRANTS,
    LEADING_KEYS,
    OWN_SITE_TEST,
    FunctionResources,
    own_site_keys,
)
from resume.parliament_notes import accept_parliament_findings
from resume.runtime import ARCHITECTURE, HANDLER, RUNTIME, zip_sha256_base64

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

FUNCTION_FINDINGS = {
    "CKV_AWS_50": "X-Ray is opt-in (tracing = true): it needs xray:PutTraceSegments on '*', "
    "so it is off by default (least privilege).",
    "CKV_AWS_116": "Invoked synchronously by API Gateway; a DLQ only applies to async invokes.",
    "CKV_AWS_117": "Talks only to DynamoDB's public endpoint; a VPC adds NAT cost and cold start.",
    "CKV_AWS_173": "The environment holds no secrets (table name, origins, limits).",
    "CKV_AWS_272": "Code signing is out of scope for a personal site's single function.",
}
LOG_GROUP_FINDINGS = {
    "CKV_AWS_158": "CloudWatch encrypts logs at rest; the logs hold no personal data.",
    "CKV_AWS_338": "Retention is configurable (log_retention_days); a year costs more than "
    "a visitor counter's debugging needs.",
}


class CounterFunction(Construct):
    """arm64 python3.13 Lambda from the packaged zip, allowed its site's items of one table."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        function_name: str,
        role_name: str,
        zip_path: Path,
        table_arn: str,
        index_arn: str,
        daily_table_arn: str,
        history_table_arn: str,
        history_index_arn: str,
        site_id: str,
        environment: Mapping[str, str],
        memory_mb: int,
        timeout_s: int,
        reserved_concurrency: int,
        log_retention_days: int,
        tracing: bool,
        emulated: bool,
        permissions_boundary: str | None = None,
    ) -> None:
        """`permissions_boundary`: the policy ARN the role must carry (CI deploys need it)."""
        super().__init__(scope, id_)
        self.log_group = CloudwatchLogGroup(
            self,
            "logs",
            name=f"/aws/lambda/{function_name}",
            retention_in_days=log_retention_days,
        )
        accept_findings(self.log_group, LOG_GROUP_FINDINGS)
        self.role = IamRole(
            self,
            "role",
            name=role_name,
            assume_role_policy=json.dumps(LAMBDA_TRUST_POLICY, sort_keys=True),
            permissions_boundary=permissions_boundary,
        )
        accept_parliament_findings(
            self.role, {"MALFORMED": "A trust policy has no Resource: the role is the resource."}
        )
        own_site_items = [
            DataAwsIamPolicyDocumentStatementCondition(
                test=OWN_SITE_TEST,
                variable=LEADING_KEYS,
                values=own_site_keys(site_id),
            )
        ]
        arns = FunctionResources(
            table=table_arn,
            daily_table=daily_table_arn,
            history_table=history_table_arn,
            table_indexes=index_arn,
            history_indexes=history_index_arn,
            log_streams=f"{self.log_group.arn}:*",
        )
        permissions = DataAwsIamPolicyDocument(
            self,
            "permissions",
            statement=[
                DataAwsIamPolicyDocumentStatement(
                    sid=grant.sid,
                    actions=list(grant.actions),
                    resources=grant.arns(arns),
                    condition=own_site_items if grant.own_site_items else None,
                )
                for grant in GRANTS
                if tracing or not grant.tracing_only
            ],
        )
        IamRolePolicy(self, "policy", role=self.role.id, policy=permissions.json)
        # Copied into the synthesized stack, so the plan never names this machine's paths.
        code = TerraformAsset(self, "code", path=str(zip_path.resolve()), type=AssetType.FILE)
        self.function = LambdaFunction(
            self,
            "function",
            function_name=function_name,
            role=self.role.arn,
            handler=HANDLER,
            runtime=RUNTIME,
            architectures=[ARCHITECTURE],
            filename=code.path,
            source_code_hash=zip_sha256_base64(zip_path),
            memory_size=memory_mb,
            tracing_config=LambdaFunctionTracingConfig(mode="Active" if tracing else "PassThrough"),
            timeout=timeout_s,
            reserved_concurrent_executions=reserved_concurrency,
            environment=LambdaFunctionEnvironment(variables=dict(environment)),
            logging_config=LambdaFunctionLoggingConfig(
                log_format="Text", log_group=self.log_group.name
            ),
            depends_on=[self.log_group],
            # moto does not return logging_config, so locally every plan would re-add it.
            lifecycle=(
                TerraformResourceLifecycle(ignore_changes=["logging_config"]) if emulated else None
            ),
        )
        accept_findings(self.function, FUNCTION_FINDINGS)
