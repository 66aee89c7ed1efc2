"""How tools narrate progress: a callable taking one line, so callers choose where it goes."""

from __future__ import annotations

from collections.abc import Callable

Log = Callable[[str], None]


def quiet(message: str) -> None:
    """A Log that drops every line (benchmarks, tests)."""
    del message
