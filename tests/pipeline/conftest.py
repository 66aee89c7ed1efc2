"""Tools the pipeline checks need: installed by `nox -s tests`, required (never skipped)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _tool(variable: str) -> str:
    path = os.environ.get(variable, "")
    message = f"{variable} is not set to an executable: run the tests through `nox -s tests`"
    assert path, message
    assert Path(path).exists(), message
    return path


@pytest.fixture(scope="session")
def zizmor() -> str:
    """The zizmor executable from requirements/audit.txt."""
    return _tool("ZIZMOR_BIN")


@pytest.fixture(scope="session")
def pip_audit() -> str:
    """The pip-audit executable from requirements/audit.txt."""
    return _tool("PIP_AUDIT_BIN")
