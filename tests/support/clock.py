"""A clock the tests set by hand, for the daily salt."""

from __future__ import annotations


class Clock:
    """A settable clock for the daily salt (epoch seconds)."""

    def __init__(self, now_s: float = 1_795_600_000.0) -> None:  # 2026-11-25, 10:26 UTC
        self.now_s = now_s

    def __call__(self) -> float:
        """The time it is set to."""
        return self.now_s
