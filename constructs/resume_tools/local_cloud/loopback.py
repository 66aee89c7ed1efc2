"""A small threaded HTTP server on loopback, shared by the local API and the site server."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from requests.adapters import HTTPAdapter

HOST = "127.0.0.1"


class QuietHandler(BaseHTTPRequestHandler):
    """Keep-alive, one `reply` helper, no per-request stderr lines."""

    protocol_version = "HTTP/1.1"

    def reply(self, status: int, headers: Mapping[str, str], data: bytes) -> None:
        """Send a complete response (no body for HEAD)."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the handler's own JSON log lines are what matters."""


class LoopbackServer:
    """Serves a request handler class on HOST:port in a daemon thread."""

    def __init__(self, handler_class: type[BaseHTTPRequestHandler], port: int) -> None:
        self.server = ThreadingHTTPServer((HOST, port), handler_class)
        self.server.daemon_threads = True
        self.url = f"http://{HOST}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LoopbackServer:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self.server.shutdown()
        self.server.server_close()


def client_at(address: str) -> requests.Session:
    """A requests session from another loopback address (127.0.0.0/8 is all this machine's).

    To the local gateway, as to API Gateway, a different client: its sourceIp is the
    connection's peer.
    """
    session = requests.Session()
    adapter = HTTPAdapter()
    adapter.init_poolmanager(
        adapter._pool_connections,  # the adapter's own defaults, kept
        adapter._pool_maxsize,
        source_address=(address, 0),
    )
    session.mount("http://", adapter)
    return session
