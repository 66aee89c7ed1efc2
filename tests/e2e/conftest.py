"""One local cloud per session: `python -m resume.ops.dev` (what `nox -s dev` runs) serving.

It runs in its own process, as a user starts it: the handler it imports from the zip never
mixes with the modules the unit tests import from the source tree.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from resume.ops.dev import LOCAL_TABLE, LocalCloud, emulator_client
from tests.support.synth import PROJECT_ROOT


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def cloud() -> Iterator[LocalCloud]:
    """The local cloud, started as a user starts it, stopped with Ctrl-C (SIGINT)."""
    moto_port, api_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "resume.ops.dev", "--moto-port", str(moto_port),
         "--api-port", str(api_port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(4)]
    assert lines[-1].startswith("dev: serving"), lines
    try:
        yield LocalCloud(
            f"http://127.0.0.1:{moto_port}", f"http://127.0.0.1:{api_port}", LOCAL_TABLE
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


@pytest.fixture
def stored_visitors(cloud: LocalCloud) -> Callable[[], int]:
    """Read the stored count straight from the emulator, bypassing the API."""
    client = emulator_client("dynamodb", cloud.emulator_endpoint)

    def read() -> int:
        item = client.get_item(TableName=cloud.table_name, Key={"ID": {"S": "blog"}}).get("Item")
        return int(item["visitors"]["N"]) if item else 0

    return read
