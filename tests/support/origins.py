"""The origins the unit tests' settings allow: the site, its www name, and the dev server."""

from __future__ import annotations

ALLOWED = frozenset({"https://example.com", "https://www.example.com", "http://localhost:4321"})
