"""Tools the pipeline checks need: installed by `nox -s tests`, required (never skipped)."""

from __future__ import annotations

import runpy
from typing import Any

import pytest

from tests.support.synth import PROJECT_ROOT
from tests.support.tools import required_tool


@pytest.fixture(scope="session")
def noxfile() -> dict[str, Any]:
    """The noxfile's globals, run once: a second run would register every session again."""
    return runpy.run_path(str(PROJECT_ROOT / "noxfile.py"))


@pytest.fixture(scope="session")
def zizmor() -> str:
    """The zizmor executable from requirements/audit.txt."""
    return required_tool("ZIZMOR_BIN")


@pytest.fixture(scope="session")
def pip_audit() -> str:
    """The pip-audit executable from requirements/audit.txt."""
    return required_tool("PIP_AUDIT_BIN")
