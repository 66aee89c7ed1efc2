"""The owner's stats token: made here, shown once, only its SHA-256 stored.

The function compares a request's bearer token with the hash in the counter table's
``{site}#stats-token`` item, read on every stats request: writing a new one replaces the
old token at once. Terraform never manages the item, so a deploy keeps the token.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from resume.config import AppConfig
from resume.outputs import FrontendOutputs, output_name
from resume_tools.aws import aws_client, caller_account
from resume_tools.errors import OpsError
from visitor_counter import schema
from visitor_counter.stats_access import token_sha256

TOKEN_BYTES = 32  # 256 bits: no guessing within any number of throttled requests


def new_stats_token(dynamodb: Any, table_name: str, site_id: str) -> str:
    """Make a token, store its hash in the table, and return the token (shown once)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    store_stats_token(dynamodb, table_name, token, site_id)
    return token


def store_stats_token(dynamodb: Any, table_name: str, token: str, site_id: str) -> None:
    """Store a token's SHA-256 where the function reads it, replacing the last one."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        dynamodb.put_item(
            TableName=table_name, Item=schema.stats_token_item(site_id, token_sha256(token))
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            raise OpsError(f"table {table_name} does not exist: deploy the stage first") from exc
        raise OpsError(f"cannot store the stats token's hash in {table_name}: {exc}") from exc
    except BotoCoreError as exc:
        raise OpsError(f"cannot reach DynamoDB: {exc}") from exc


def stats_page_url(site_url: str, token: str, site: str = "") -> str:
    """The stats page with the token in its fragment, which the browser never sends.

    `site`: one of the deployment's other sites, whose stats the page then reads.
    """
    query = f"?site={site}" if site else ""
    return f"{site_url.rstrip('/')}/stats/{query}#token={token}"


def deployed_site_url(config: AppConfig) -> str | None:
    """The stage's site URL from the frontend stack's state, None when it cannot be read.

    The state bucket's name is predictable (it embeds the account id), so another account
    could own a bucket by that name and serve a state whose site URL is theirs: the stats
    link, token and all, would go to their page. ExpectedBucketOwner makes S3 refuse such
    a bucket (403), which is an error here, not a missing URL.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        account = caller_account(config)
    except (BotoCoreError, ClientError, OpsError):
        return None
    bucket = config.state_bucket_name(account)
    try:
        state = aws_client("s3", config).get_object(
            Bucket=bucket, Key=config.state_key("frontend"), ExpectedBucketOwner=account
        )
        outputs = json.loads(state["Body"].read()).get("outputs", {})
        return str(outputs[output_name(FrontendOutputs, "site_url")]["value"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("403", "AccessDenied", "Forbidden"):
            raise OpsError(
                f"state bucket {bucket} is not owned by account {account} (or these "
                "credentials may not read it): its site URL is not used; set "
                "RESUME_STATE_BUCKET to this account's state bucket"
            ) from exc
        return None
    except (BotoCoreError, OpsError, KeyError, TypeError, ValueError):
        return None
