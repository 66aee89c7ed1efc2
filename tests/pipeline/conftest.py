"""Tools the pipeline checks need: installed by `nox -s tests`, required (never skipped)."""

from __future__ import annotations

import pytest

from tests.support.tools import required_tool


@pytest.fixture(scope="session")
def zizmor() -> str:
    """The zizmor executable from requirements/audit.txt."""
    return required_tool("ZIZMOR_BIN")


@pytest.fixture(scope="session")
def pip_audit() -> str:
    """The pip-audit executable from requirements/audit.txt."""
    return required_tool("PIP_AUDIT_BIN")
