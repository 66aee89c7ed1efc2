"""The counter table's shape, shared by the handler, the infrastructure and the tests."""

from __future__ import annotations

from typing import Final

PARTITION_KEY: Final = "ID"
PARTITION_KEY_TYPE: Final = "S"
COUNTER_ATTRIBUTE: Final = "visitors"
# Reserved for items that should expire (per-day visitor hashes); DynamoDB TTL needs it declared.
TTL_ATTRIBUTE: Final = "expires_at"
DEFAULT_TABLE_NAME: Final = "cloud-resume-challenge"
DEFAULT_SITE_ID: Final = "blog"
