"""The local cloud always stops: on SIGINT and SIGTERM, even when started with SIGINT ignored.

A process started from a non-interactive shell's background job (a script, CI, a container)
inherits SIGINT as ignored; `dev` installs its handlers itself, so Ctrl-C, a test's SIGINT
and a service manager's SIGTERM all stop it cleanly, the emulator included. A `dev` killed
outright still takes moto down with it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from resume_tools.local_cloud.emulator import port_is_free
from tests.support.cloud import STOP_TIMEOUT_S, free_ports, ignore_sigint
from tests.support.synth import PROJECT_ROOT


def wait_until_free(port: int, timeout_s: float) -> bool:
    """True once nothing listens on the port (within the timeout)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if port_is_free(port):
            return True
        time.sleep(0.1)
    return False


def start_dev() -> tuple[subprocess.Popen[str], int, list[str]]:
    """`dev` as a background job starts it; back once moto answers and the deploy began."""
    moto, api, site = free_ports(3)
    command = [
        sys.executable, "-m", "resume_tools.cli.dev",
        "--moto-port", str(moto), "--api-port", str(api), "--site-port", str(site),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=ignore_sigint,  # the point of the test
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.rstrip().endswith("] package"):
            break
    return process, moto, seen


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_dev_stops_and_takes_moto_down_when_sigint_was_inherited_ignored(
    signum: signal.Signals,
) -> None:
    process, moto, seen = start_dev()
    try:
        assert not port_is_free(moto), "".join(seen)

        process.send_signal(signum)
        rest, _ = process.communicate(timeout=STOP_TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    output = "".join(seen) + rest
    assert process.returncode == 0, output
    assert "dev: stopped; moto and the local servers are down" in output
    assert port_is_free(moto)


def test_a_killed_dev_takes_moto_down_with_it() -> None:
    process, moto, seen = start_dev()
    assert not port_is_free(moto), "".join(seen)

    process.kill()
    process.wait()

    assert wait_until_free(moto, timeout_s=15), "moto outlived the local cloud that started it"
