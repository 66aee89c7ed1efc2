"""Page patterns: globs over page ids, as the config and the known-pages list write them.

``*`` is any text within one path segment, ``**`` any text across segments. Kept apart from
the known-pages cache (no botocore), so the config can validate patterns cheaply.
"""

from __future__ import annotations

import re

from visitor_counter.pages import MARKUP_CHARACTERS

_PATTERN_CHARACTERS = re.compile(r"^/[^\s?#]*$")


class InvalidPattern(ValueError):
    """A page pattern cannot be used; the message says why."""


def pattern_regex(pattern: str) -> str:
    """The regular expression (to fullmatch a page id) of a glob `pattern`."""
    if not _PATTERN_CHARACTERS.fullmatch(pattern) or MARKUP_CHARACTERS & set(pattern):
        raise InvalidPattern(
            f"{pattern!r} is not a page pattern: it must start with '/' and hold no spaces, "
            "'?', '#', quotes, backticks or angle brackets"
        )
    if "***" in pattern:
        raise InvalidPattern(f"{pattern!r}: use '*' (one segment) or '**' (any depth)")
    parts = re.split(r"(\*\*|\*)", pattern.lower().rstrip("/") or "/")
    glob = {"**": ".*", "*": "[^/]*"}
    return "".join(glob.get(part, re.escape(part)) for part in parts)
