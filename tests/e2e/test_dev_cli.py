"""`nox -s dev` (resume_tools.cli.dev) with wrong input: one clear line and a non-zero exit."""

from __future__ import annotations

import socket
import subprocess
import sys

from tests.support.synth import PROJECT_ROOT


def run_dev(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "resume_tools.cli.dev", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_port_in_use_is_refused_with_its_number() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        result = run_dev("--no-serve", "--moto-port", str(port))

    assert result.returncode == 1
    assert (
        result.stderr.strip() == f"dev: error: port {port} (--moto-port) is in use: choose another"
    )


def test_bad_port_is_a_usage_error() -> None:
    result = run_dev("--no-serve", "--api-port", "70000")

    assert result.returncode == 2
    assert "--api-port must be a port number (1-65535)" in result.stderr


def test_unknown_stage_is_a_usage_error() -> None:
    result = run_dev("--no-serve", "--stage", "qa")

    assert result.returncode == 2
    assert "argument --stage: invalid choice: 'qa'" in result.stderr
