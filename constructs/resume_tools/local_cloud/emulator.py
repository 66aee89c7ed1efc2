"""The local AWS: moto's server on loopback, started and stopped by the local cloud.

python -m resume_tools.local_cloud.emulator --port 4599     (what Emulator runs in a subprocess)
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from resume_tools.errors import OpsError

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def serialized(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """Run one request at a time through `app`.

    moto's backends read-modify-write without locks, so two concurrent UpdateItem ADDs
    can lose one. DynamoDB applies each request atomically; serializing restores that.
    """
    lock = threading.Lock()

    def locked(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            return list(app(environ, start_response))

    return locked


def serve(port: int) -> None:
    """Serve every moto backend on HOST:port until terminated."""
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import run_simple

    app = DomainDispatcherApplication(create_backend_app)
    run_simple(HOST, port, serialized(app), threaded=True, request_handler=MotoRequestHandler)


def port_is_free(port: int) -> bool:
    """True if nothing listens on HOST:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((HOST, port)) != 0


class Emulator:
    """A moto server subprocess on loopback; a context manager that always stops it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.endpoint = f"http://{HOST}:{port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Emulator:
        """Start the server and wait until it answers."""
        if not port_is_free(self.port):
            raise OpsError(f"port {self.port} is in use: choose another with --moto-port")
        # The child imports this package however the parent found it.
        package_root = str(Path(__file__).resolve().parents[2])
        pythonpath = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "resume_tools.local_cloud.emulator"]
        command += ["--port", str(self.port), "--parent-pid", str(os.getpid())]
        self._process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            command,
            env={**os.environ, "PYTHONPATH": pythonpath},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise OpsError(f"the moto server exited at start (code {self._process.returncode})")
            if self.reachable():
                return self
            time.sleep(0.1)
        self.stop()
        raise OpsError(f"the moto server did not answer on {self.endpoint} within 30 s")

    def reachable(self) -> bool:
        """True if the server answers its health endpoint."""
        try:
            with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):  # noqa: S310
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def stop_with_parent(parent_pid: int) -> None:
    """On Linux, get SIGTERM when the process that started us dies, even by SIGKILL.

    Without it a killed local cloud would leave moto holding its port.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:  # it died before we asked
        raise SystemExit(0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="emulator", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent-pid", type=int, required=True)
    args = parser.parse_args()
    stop_with_parent(args.parent_pid)
    serve(args.port)
