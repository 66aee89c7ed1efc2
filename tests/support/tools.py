"""External tools the tests run, found through the variables `nox -s tests` sets."""

from __future__ import annotations

import os
from pathlib import Path


def required_tool(variable: str) -> str:
    """The executable `variable` names; fails (never skips) when it is unset or missing."""
    path = os.environ.get(variable, "")
    message = f"{variable} is not set to an executable: run the tests through `nox -s tests`"
    assert path, message
    assert Path(path).exists(), message
    return path
