"""One local cloud per session: `python -m resume.ops.dev` (what `nox -s dev` runs), serving.

It runs in its own process, as a user starts it: the handler it imports from the zip never
mixes with the modules the unit tests import from the source tree.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from resume.ops.dev import emulator_client
from tests.support.synth import PROJECT_ROOT
from tests.support.tables import stored_count

# A cold local cloud synthesizes and applies three stacks: about 90 s here.
STARTUP_TIMEOUT_S = 600


@dataclass(frozen=True)
class RunningCloud:
    """What the dev command printed about the cloud it started."""

    ports: dict[str, int]
    api_url: str
    site_url: str
    emulator_endpoint: str
    table_name: str
    output: str
    # Everything the dev command prints after it started serving (the handler's log lines).
    later_output: list[str]


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dev_command(ports: dict[str, int], *extra: str) -> list[str]:
    """The dev CLI with explicit ports."""
    flags = [
        item for name, port in ports.items() for item in (f"--{name.replace('_', '-')}", str(port))
    ]
    return [sys.executable, "-m", "resume.ops.dev", *flags, *extra]


@pytest.fixture(scope="session")
def cloud() -> Iterator[RunningCloud]:
    """The local cloud, started as a user starts it, stopped with Ctrl-C (SIGINT)."""
    ports = {"moto_port": free_port(), "api_port": free_port(), "site_port": free_port()}
    process = subprocess.Popen(
        dev_command(ports), cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("dev: serving"):
            break
    output = "".join(lines)
    assert lines, "the dev command printed nothing"
    assert lines[-1].startswith("dev: serving"), output
    found = dict(re.findall(r"^dev: (site|counter API|moto|table) +(\S+)$", output, re.MULTILINE))
    # Keep reading: the handler logs a line per request, and a full pipe would block it.
    later_output: list[str] = []
    reader = threading.Thread(target=later_output.extend, args=(process.stdout,), daemon=True)
    reader.start()
    try:
        yield RunningCloud(
            ports=ports,
            api_url=found["counter API"].rstrip("/"),
            site_url=found["site"].rstrip("/"),
            emulator_endpoint=found["moto"],
            table_name=found["table"],
            output=output,
            later_output=later_output,
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


@pytest.fixture
def stored_visitors(cloud: RunningCloud) -> Callable[[], int]:
    """Read the stored count straight from the emulator, bypassing the API."""
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    return lambda: stored_count(client, cloud.table_name)
