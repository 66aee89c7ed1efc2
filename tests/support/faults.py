"""DynamoDB failures injected into a real botocore client, answered the way DynamoDB answers."""

from __future__ import annotations

import json
from typing import Any

from botocore.awsrequest import AWSResponse

SECRET_AWS_MESSAGE = "User: arn:aws:sts::123456789012:assumed-role/x is not authorized"


def fail_operation(
    client: Any, code: str, status: int = 400, operation: str = "UpdateItem"
) -> None:
    """Make the client's `operation` answer the error `code`, with a message not to leak."""

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        http = AWSResponse("https://dynamodb.local", status, {}, None)
        body = {
            "Error": {"Code": code, "Message": SECRET_AWS_MESSAGE},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        return http, body

    client.meta.events.register(f"before-call.dynamodb.{operation}", answer)


def leave_keys_unprocessed(client: Any, times: int) -> list[int]:
    """Answer the client's next `times` BatchGetItem calls as throttled DynamoDB may.

    Every key is left unprocessed and nothing read; the list returned counts those answers.
    """
    answered: list[int] = []

    def answer(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if len(answered) >= times:
            return None
        answered.append(1)
        requested = json.loads(params["body"])["RequestItems"]
        body = {
            "Responses": {table: [] for table in requested},
            "UnprocessedKeys": requested,
            "ResponseMetadata": {"HTTPStatusCode": 200},
        }
        return AWSResponse("https://dynamodb.local", 200, {}, None), body

    client.meta.events.register("before-call.dynamodb.BatchGetItem", answer)
    return answered
