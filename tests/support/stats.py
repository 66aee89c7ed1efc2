"""The site owner's stats token in tests: stored as the deploy tooling stores it."""

from __future__ import annotations

from typing import Any

from visitor_counter import schema
from visitor_counter.stats_access import token_sha256

OWNER_TOKEN = "test-owner-token-0123456789abcdef"
# The headers of the owner's stats requests.
OWNER = {"authorization": f"Bearer {OWNER_TOKEN}"}


def store_token(client: Any, table_name: str, token: str = OWNER_TOKEN) -> None:
    """Write a token's hash where the function reads it (as `nox -s stats-token` does)."""
    client.put_item(TableName=table_name, Item=schema.stats_token_item("blog", token_sha256(token)))
