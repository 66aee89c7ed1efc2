"""The site owner's stats token in tests: stored as the deploy tooling stores it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from resume_tools.deploy.stats_token import store_stats_token
from visitor_counter.schema import DEFAULT_SITE_ID

OWNER_TOKEN = "test-owner-token-0123456789abcdef"
# The headers of the owner's stats requests.
OWNER = {"authorization": f"Bearer {OWNER_TOKEN}"}


def utc_today() -> str:
    """Today's UTC day, as the stats name days."""
    return datetime.now(UTC).date().isoformat()


def store_token(client: Any, table_name: str, token: str = OWNER_TOKEN) -> None:
    """Write a token's hash where the function reads it, as `nox -s stats-token` does, for
    the site a default deployment (and the function's default settings) counts."""
    store_stats_token(client, table_name, token, DEFAULT_SITE_ID)
