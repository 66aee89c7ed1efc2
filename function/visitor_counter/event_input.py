"""What a visitor's event says, checked: its name, and where it went.

The router asks these before anything is counted (events.py counts): a name the site
counts, a target the API takes. Each refusal is a 400 with its reason, and nothing is
stored.
"""

from __future__ import annotations

from typing import Final

from visitor_counter import schema
from visitor_counter.errors import BadRequest

MAX_TARGET_CHARS: Final = schema.MAX_TARGET_CHARS
INVALID_NAME: Final = (
    "Invalid event name: 1 to 40 characters, lower-case letters, digits, '.', '_' or '-', "
    "starting with a letter or digit."
)
UNKNOWN_NAME: Final = "Unknown event {name!r}: this site counts only the events it names."
INVALID_TARGET: Final = (
    f"Invalid event target: 1 to {MAX_TARGET_CHARS} characters, a path of the site "
    '("/files/cv.pdf") with no query, fragment or markup, or another site\'s host by name '
    '("github.com"), without its path.'
)
TARGET_WITHOUT_EVENT: Final = (
    'A "target" goes with an "event": {"event": "download", "target": "/cv.pdf"}.'
)


def event_target(text: str) -> str:
    """`text` as where an event went, or BadRequest saying why not."""
    if not schema.valid_event_target(text):
        raise BadRequest(400, INVALID_TARGET)
    return text


def event_name(text: str, allowed: tuple[str, ...]) -> str:
    """`text` as an event name this site counts, or BadRequest saying why not.

    `allowed`: the names the site counts; "*" at the end of one takes any rest (`"*"`: any
    valid name).
    """
    if not schema.EVENT_NAME.fullmatch(text):
        raise BadRequest(400, INVALID_NAME)
    if not any(
        text == name or (name.endswith("*") and text.startswith(name[:-1])) for name in allowed
    ):
        raise BadRequest(400, UNKNOWN_NAME.format(name=text))
    return text
