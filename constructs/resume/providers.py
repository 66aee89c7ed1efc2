"""The AWS provider and the S3 state backend, emulator-aware, configured in one place."""

from __future__ import annotations

from cdktf import S3Backend, S3BackendEndpointConfig, TerraformStack
from cdktf_cdktf_provider_aws.provider import (
    AwsProvider,
    AwsProviderDefaultTags,
    AwsProviderEndpoints,
)

from resume.config import AppConfig

# Services the stacks touch; locally each is pointed at the emulator.
_SERVICES = (
    "acm", "apigatewayv2", "cloudfront", "cloudwatch", "cloudwatchlogs", "dynamodb",
    "iam", "kms", "lambda_", "route53", "s3", "sns", "sts",
)  # fmt: skip


def aws_provider(
    stack: TerraformStack, config: AppConfig, *, region: str | None = None, alias: str | None = None
) -> AwsProvider:
    """An AWS provider for `region` (default: the config's), tagged, emulator-aware."""
    emulator = config.emulator_endpoint
    return AwsProvider(
        stack,
        f"aws-{alias}" if alias else "aws",
        region=region or config.region,
        alias=alias,
        default_tags=[AwsProviderDefaultTags(tags=config.all_tags)],
        endpoints=[AwsProviderEndpoints(**dict.fromkeys(_SERVICES, emulator))]
        if emulator
        else None,
        s3_use_path_style=True if emulator else None,
        skip_credentials_validation=True if emulator else None,
        skip_metadata_api_check="true" if emulator else None,
        skip_region_validation=True if emulator else None,
    )


def state_backend(stack: TerraformStack, config: AppConfig, kind: str) -> S3Backend:
    """Remote state in the stage's state bucket, one key per stack, natively locked."""
    emulator = config.emulator_endpoint
    backend = S3Backend(
        stack,
        bucket=config.resolved_state_bucket,
        key=config.state_key(kind),
        region=config.region,
        encrypt=True,
        endpoints=S3BackendEndpointConfig(s3=emulator, sts=emulator) if emulator else None,
        use_path_style=True if emulator else None,
        skip_credentials_validation=True if emulator else None,
        skip_region_validation=True if emulator else None,
        skip_requesting_account_id=True if emulator else None,
        skip_metadata_api_check=True if emulator else None,
    )
    # cdktf's S3Backend has no use_lockfile: native S3 locking (Terraform >= 1.10), no lock table.
    backend.add_override("use_lockfile", True)
    return backend
