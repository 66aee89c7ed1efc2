"""AWS access for the tools: clients for the target account (or the emulator), account id."""

from __future__ import annotations

from typing import Any

from resume.config import EMULATOR_ACCOUNT_ID, AppConfig
from resume_tools.errors import OpsError


def aws_client(service: str, config: AppConfig) -> Any:
    """A boto3 client for the target account, or for the emulator when configured."""
    import boto3

    return boto3.client(
        service, region_name=config.region, endpoint_url=config.emulator_endpoint or None
    )


def bucket_exists(s3: Any, bucket: str, owner: str) -> bool:
    """True if the bucket exists in the `owner` account; an error if another account has it.

    State bucket names are predictable (they embed the account id), so someone else could
    create one first: ExpectedBucketOwner makes S3 refuse to answer for their bucket.
    """
    from botocore.exceptions import ClientError, EndpointConnectionError

    try:
        s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=owner)
    except EndpointConnectionError as exc:
        raise OpsError(f"cannot reach S3: {exc}") from exc
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in ("404", "NoSuchBucket", "NotFound"):
            return False
        if code in ("403", "AccessDenied", "Forbidden"):
            raise OpsError(
                f"bucket {bucket} exists but not in account {owner} (or these credentials "
                "may not read it): choose another name with RESUME_STATE_BUCKET"
            ) from exc
        raise
    return True


def caller_account(config: AppConfig) -> str:
    """The account id: configured, the emulator's, or the credentials' (one STS call)."""
    if config.account_id:
        return config.account_id
    if config.emulated:
        return EMULATOR_ACCOUNT_ID
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return str(aws_client("sts", config).get_caller_identity()["Account"])
    except (BotoCoreError, ClientError) as exc:
        raise OpsError(
            f"no usable AWS credentials to name the state bucket ({exc}): configure them, or "
            "set RESUME_STATE_BUCKET or RESUME_ACCOUNT_ID (`nox -s dev` needs none of this)"
        ) from exc
