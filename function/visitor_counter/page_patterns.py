"""Page patterns: globs over page ids, as the config and the known-pages list write them.

``*`` is any text within one path segment, ``**`` any text across segments. Kept apart from
the known-pages cache (no botocore), so the config can validate patterns cheaply.
"""

from __future__ import annotations

import re

from visitor_counter.pages import MARKUP_CHARACTERS

_PATTERN_CHARACTERS = re.compile(r"^/[^\s?#]*$")
_WILDCARD = re.compile(r"(\*\*|\*)")


class InvalidPattern(ValueError):
    """A page pattern cannot be used; the message says why."""


def pattern_regex(pattern: str) -> str:
    """The regular expression (to fullmatch a page id) of a glob `pattern`.

    Python's regular expressions backtrack: two wildcards that can take the same text ('**'
    twice, or two in one segment as in '/*a*a*b') make a failed match of a 255-byte page id
    try every way to share it out: seconds of work at five of them. With one '**' and one
    wildcard per segment, each '*' ends where its segment does and the '**' is tried once per
    position: a check's work grows with the id's length times the pattern's, never faster.
    """
    if not _PATTERN_CHARACTERS.fullmatch(pattern) or MARKUP_CHARACTERS & set(pattern):
        raise InvalidPattern(
            f"{pattern!r} is not a page pattern: it must start with '/' and hold no spaces, "
            "'?', '#', quotes, backticks or angle brackets"
        )
    if "***" in pattern:
        raise InvalidPattern(f"{pattern!r}: use '*' (one segment) or '**' (any depth)")
    spelled = _spelled(pattern)
    if spelled.count("**") > 1:
        raise InvalidPattern(
            f"{pattern!r}: use '**' once at most (more make a long page id slow to match)"
        )
    if any(len(_WILDCARD.findall(segment)) > 1 for segment in spelled.split("/")):
        raise InvalidPattern(
            f"{pattern!r}: use one '*' or '**' per segment at most, as in '/posts/*.html' "
            "(more make a long page id slow to match)"
        )
    glob = {"**": ".*", "*": "[^/]*"}
    return "".join(glob.get(part, re.escape(part)) for part in _WILDCARD.split(spelled))


def literal_page(pattern: str) -> str | None:
    """The one page id a valid pattern without wildcards names; None for a glob."""
    return None if "*" in pattern else _spelled(pattern)


def _spelled(pattern: str) -> str:
    """The pattern as page ids are spelled: lower case, no trailing slash."""
    return pattern.lower().rstrip("/") or "/"
