"""The AWS provider and the S3 state backend, emulator-aware, configured in one place."""

from __future__ import annotations

from typing import Any

from cdktf import (
    DataTerraformRemoteStateS3,
    S3Backend,
    S3BackendEndpointConfig,
    TerraformRemoteState,
    TerraformStack,
    TerraformVariable,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

from constructs import Construct
from resume.config import STATE_BUCKET_VARIABLE, AppConfig

# Stands in for the bucket until an override removes it from the synthesized JSON.
BUCKET_AT_INIT = "supplied-at-terraform-init"


def aws_provider(
    stack: TerraformStack, config: AppConfig, *, region: str | None = None, alias: str | None = None
) -> AwsProvider:
    """An AWS provider for `region` (default: the config's), tagged, emulator-aware.

    Locally, the emulator's address reaches the provider as AWS_ENDPOINT_URL, the AWS SDKs'
    endpoint for every service, which the tooling sets for each Terraform run of an emulated
    stage (resume_tools.terraform.run.terraform_env), rather than as an `endpoints` block:
    provider 5.100 spends 2.3 s of its 2.7 s start validating that block's ~300 attributes,
    and an apply starts the provider four times.
    """
    emulator = config.emulator_endpoint
    return AwsProvider(
        stack,
        f"aws-{alias}" if alias else "aws",
        region=region or config.region,
        alias=alias,
        default_tags=[AwsProviderDefaultTags(tags=config.all_tags)],
        s3_use_path_style=True if emulator else None,
        skip_credentials_validation=True if emulator else None,
        skip_metadata_api_check="true" if emulator else None,
        skip_region_validation=True if emulator else None,
    )


class PartialS3Backend(S3Backend):
    """The S3 backend without its bucket: `terraform init -backend-config=bucket=…` gives it.

    The bucket's name embeds the account id, so leaving it out keeps synthesis free of
    credentials and the JSON the same for every account. A stack that reads another
    stack's outputs gets the bucket from the `state_bucket` variable instead (TF_VAR_…),
    which diff and deploy set along with the backend configuration.
    """

    def __init__(self, stack: TerraformStack, settings: dict[str, Any]) -> None:
        super().__init__(stack, bucket=BUCKET_AT_INIT, **settings)
        self._settings = settings
        # cdktf's S3Backend has no use_lockfile: native S3 locking (Terraform >= 1.10).
        self.add_override("use_lockfile", True)
        # cdktf's S3Backend requires a bucket; delete it from the JSON (partial configuration).
        self.add_override("bucket", None)

    def get_remote_state_data_source(
        self, scope: Construct, name: str, _from_stack: str
    ) -> TerraformRemoteState:
        """How another stack reads this one's outputs (cdktf's cross-stack references)."""
        bucket = TerraformVariable(
            scope,
            STATE_BUCKET_VARIABLE,
            type="string",
            description="The state bucket (set by nox -s diff/deploy as TF_VAR_state_bucket)",
        )
        return DataTerraformRemoteStateS3(scope, name, bucket=bucket.string_value, **self._settings)


def state_backend(stack: TerraformStack, config: AppConfig, key: str) -> S3Backend:
    """Remote state under `key` in a bucket given at init, natively locked."""
    emulator = config.emulator_endpoint
    settings: dict[str, Any] = {
        "key": key,
        "region": config.region,
        "encrypt": True,
    }
    if emulator:
        settings |= {
            "endpoints": S3BackendEndpointConfig(s3=emulator, sts=emulator),
            "use_path_style": True,
            "skip_credentials_validation": True,
            "skip_region_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
        }
    return PartialS3Backend(stack, settings)
