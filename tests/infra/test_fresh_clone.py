"""A fresh clone imports: no module needs what a build step generates, but the Lambda's cold
start still refuses to run without its bot data.

The clone is the project's files as git sees them (tracked, and new files it does not
ignore): everything ignored is generated (the bot rules, the zip, cdktf.out, node_modules).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.test_layout import project_modules
from tests.support.synth import PROJECT_ROOT

# The Lambda's entry point reads its bot data at import (its cold start): tested below.
COLD_START_MODULE = "visitor_counter.handler"
GENERATED = "function/visitor_counter/crawler_patterns.json"


def fresh_clone(destination: Path) -> Path:
    """The project's own files, as a fresh clone has them, without anything generated."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():  # a file deleted in the work tree but not yet in git
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def run_python(
    clone: Path, code: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=clone,
        env={"PYTHONPATH": f"{clone / 'constructs'}:{clone / 'function'}", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_clone(tmp_path_factory.mktemp("clone"))


def test_the_clone_has_no_generated_file(clone: Path) -> None:
    assert not (clone / GENERATED).exists()
    assert (clone / "function" / "visitor_counter" / "bots.py").is_file()


def test_every_module_imports_on_a_fresh_clone(clone: Path) -> None:
    names = sorted(
        name
        for name in project_modules()
        if name.split(".")[0] in ("visitor_counter", "resume", "resume_tools")
        and name != COLD_START_MODULE
    )

    result = run_python(
        clone, f"import importlib\nfor name in {names!r}: importlib.import_module(name)"
    )

    assert result.returncode == 0, result.stderr
    assert len(names) > 90


def test_the_cold_start_without_its_bot_data_fails_saying_why(clone: Path) -> None:
    env = {"TABLE_NAME": "visitors", "AWS_DEFAULT_REGION": "eu-west-2"}

    result = run_python(clone, f"import {COLD_START_MODULE}", env)

    assert result.returncode != 0
    assert "CrawlerListUnavailable" in result.stderr
    assert "crawler_patterns.json is missing" in result.stderr
    assert "run `nox -s package`" in result.stderr
