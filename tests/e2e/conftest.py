"""One local cloud per session: `python -m resume_tools.cli.dev` (what `nox -s dev` runs), serving.

It runs in its own process, as a user starts it: the handler it imports from the zip never
mixes with the modules the unit tests import from the source tree.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator

import pytest

from resume_tools.local_cloud.cloud import emulator_client
from tests.support.cloud import (
    E2E_PAGE_PATTERNS,
    STARTUP_TIMEOUT_S,
    RunningCloud,
    dev_command,
    free_ports,
    ignore_sigint,
    stop,
)
from tests.support.synth import PROJECT_ROOT
from tests.support.tables import stored_count


@pytest.fixture(scope="session")
def cloud() -> Iterator[RunningCloud]:
    """The local cloud, started as a background job starts it, stopped with Ctrl-C (SIGINT).

    Started with SIGINT ignored, as CI and scripts start it: the SIGINT at the end must
    still stop it (the SIGTERM and SIGKILL fallbacks only clean up, and fail the session).
    """
    moto, api, site = free_ports(3)
    ports = {"moto_port": moto, "api_port": api, "site_port": site}
    process = subprocess.Popen(
        dev_command(ports),
        cwd=PROJECT_ROOT,
        env={**os.environ, "RESUME_PAGE_PATTERNS": E2E_PAGE_PATTERNS},
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=ignore_sigint,
    )
    assert process.stdout is not None
    # A start-up that hangs must not hang the session: kill it, and the loop below ends.
    watchdog = threading.Timer(STARTUP_TIMEOUT_S, process.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("dev: serving"):
                break
    finally:
        watchdog.cancel()
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
        stopped_by = stop(process)
    assert stopped_by == signal.SIGINT, f"the local cloud ignored SIGINT (stopped by {stopped_by})"


@pytest.fixture
def stored_visitors(cloud: RunningCloud) -> Callable[[], int]:
    """Read the stored count straight from the emulator, bypassing the API."""
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    return lambda: stored_count(client, cloud.table_name)


@pytest.fixture(scope="session")
def deployed_origins(cloud: RunningCloud) -> list[str]:
    """The origins the deployed function allows, read back from its configuration.

    The function is CORS's one owner (the API has no cors_configuration), so this is what
    a browser is answered with, locally and in AWS.
    """
    functions = emulator_client("lambda", cloud.emulator_endpoint).list_functions()["Functions"]
    (function,) = functions
    origins: str = function["Environment"]["Variables"]["ALLOWED_ORIGINS"]
    return origins.split(",")
