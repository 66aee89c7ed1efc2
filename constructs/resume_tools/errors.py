"""The one error type the ops tools raise for a user to read: a single clear line."""

from __future__ import annotations


class OpsError(RuntimeError):
    """Something the user must fix (a missing tool, a bad argument); the message says what."""
