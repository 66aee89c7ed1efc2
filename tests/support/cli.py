"""Running our command-line tools as a user does: a new process, none of the caller's AWS."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.synth import PROJECT_ROOT


def run_tool(
    module: str, *args: str, env: dict[str, str] | None = None, timeout_s: int = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m resume_tools.cli.<module> args` in the project, output captured.

    AWS_* and RESUME_* variables of the test process are dropped: only `env` sets them.
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RESUME_"))}
    return subprocess.run(
        [sys.executable, "-m", f"resume_tools.cli.{module}", *args],
        cwd=PROJECT_ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
