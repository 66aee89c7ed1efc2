"""Starting the local cloud as a user does: the dev command, its ports, what it printed."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.synth import PROJECT_ROOT

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
    # The stats page with the token the dev command made, as it printed it.
    stats_url: str
    output: str
    # Everything the dev command prints after it started serving (the handler's log lines).
    later_output: list[str]

    @property
    def stats_token(self) -> str:
        """The token the dev command made, from its stats link's fragment."""
        return self.stats_url.split("#token=", 1)[1]


# The local cloud's page list: the demo site's pages, and these for the tests' own pages.
# Globs for made-up test pages; /e2e-popular named exactly, so listed: in the public top list.
E2E_PAGE_PATTERNS = "/e2e-*,/posts/e2e-*,/e2e-popular"
# A second site the local cloud counts (resume.other_sites), hosted elsewhere.
E2E_SHOP_ORIGIN = "https://shop.example"
E2E_OTHER_SITES = f"shop {E2E_SHOP_ORIGIN} /products/*"


# How long a stopped local cloud may take to shut its servers and moto down.
STOP_TIMEOUT_S = 60


def free_ports(count: int) -> list[int]:
    """Distinct loopback ports nothing listens on right now (all held until all are chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def ignore_sigint() -> None:
    """What a non-interactive shell's background job does to its children (a preexec_fn)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop(process: subprocess.Popen[str]) -> signal.Signals | None:
    """Stop with SIGINT, else SIGTERM, else SIGKILL; return what worked (None: it had exited)."""
    if process.poll() is not None:
        return None
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        process.send_signal(signum)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            continue
        return signum
    return signal.SIGKILL


def dev_command(ports: dict[str, int], *extra: str) -> list[str]:
    """The dev CLI with explicit ports."""
    flags = [
        item for name, port in ports.items() for item in (f"--{name.replace('_', '-')}", str(port))
    ]
    return [sys.executable, "-m", "resume_tools.cli.dev", *flags, *extra]


def emulator_pid(port: int) -> int:
    """The process id of the local cloud's moto server on `port` (Linux: read from /proc)."""
    wanted = ["resume_tools.local_cloud.emulator", "--port", str(port)]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if all(part in arguments for part in wanted):
            return int(entry.name)
    raise LookupError(f"no moto server on port {port}")


@contextmanager
def running_cloud(extra_env: Mapping[str, str], *extra_args: str) -> Iterator[RunningCloud]:
    """The dev command on free ports with `extra_env` and `extra_args`, serving; stopped with
    SIGINT after.

    Started with SIGINT ignored, as CI and scripts start it: the SIGINT at the end must still
    stop it (the SIGTERM and SIGKILL fallbacks only clean up, and fail the caller).
    """
    moto, api, site = free_ports(3)
    ports = {"moto_port": moto, "api_port": api, "site_port": site}
    process = subprocess.Popen(
        dev_command(ports, *extra_args),
        cwd=PROJECT_ROOT,
        env={**os.environ, **extra_env},
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
    found = dict(
        re.findall(r"^dev: (site|counter API|moto|table|stats) +(\S+)$", output, re.MULTILINE)
    )
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
            stats_url=found["stats"],
            output=output,
            later_output=later_output,
        )
    finally:
        stopped_by = stop(process)
    assert stopped_by == signal.SIGINT, f"the local cloud ignored SIGINT (stopped by {stopped_by})"
