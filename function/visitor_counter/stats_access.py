"""Who may read the stats: the owner's bearer token, checked against its stored SHA-256.

The token itself is never stored: `nox -s stats-token` makes one, prints it once and writes
its SHA-256 to the counter table's ``{site}#stats-token`` item, which is read on every stats
request (a few a day), so a new token works, and the old one stops, at once.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any, Final

from visitor_counter import schema
from visitor_counter.errors import BadRequest
from visitor_counter.store import call_dynamodb

UNAUTHORIZED: Final = (
    "Stats need a valid token: send Authorization: Bearer <token> (`nox -s stats-token` makes one)."
)
# RFC 6750: a 401 for a bearer-token resource names the scheme.
CHALLENGE: Final = {"WWW-Authenticate": 'Bearer realm="stats"'}
# Compared against when no token was ever made, so that case takes the same time.
_NO_TOKEN: Final = "0" * 64


def token_sha256(token: str) -> str:
    """The hex SHA-256 stored for a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class StatsGate:
    """Lets a stats request through when the site's stats are public or its token is right."""

    def __init__(self, client: Any, table_name: str, site_id: str, *, public: bool) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id
        self._public = public

    def check(self, headers: Mapping[str, str]) -> None:
        """Raise BadRequest(401) unless the request may read the stats."""
        if self._public:
            return
        presented = _bearer(headers.get("authorization", ""))
        stored = self._stored_sha256()
        # compare_digest takes the same time wherever the two differ; both are 64 hex chars.
        matches = hmac.compare_digest(token_sha256(presented or ""), stored or _NO_TOKEN)
        if not (presented and stored and matches):
            raise BadRequest(401, UNAUTHORIZED, CHALLENGE)

    def _stored_sha256(self) -> str | None:
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table,
            Key={schema.PARTITION_KEY: {"S": schema.stats_token_key(self._site)}},
            ConsistentRead=True,
        )
        item = response.get("Item") or {}
        value = (item.get(schema.TOKEN_HASH_ATTRIBUTE) or {}).get("S")
        return str(value) if isinstance(value, str) and len(value) == 64 else None


def _bearer(header: str) -> str | None:
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
