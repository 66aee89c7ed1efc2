"""DynamoDB's per-key limits, scaled down, in front of moto: a switch of the local cloud.

moto takes any rate on one key. DynamoDB serves one partition key at most 1,000 write units
and 3,000 read units a second, in both capacity modes, and refuses more with
ProvisionedThroughputExceededException, reason `TableWriteKeyRangeThroughputExceeded`
(Developer Guide, "Key range throughput exceeded (hot partitions)"). This proxy forwards
DynamoDB calls to moto and refuses, the same way, a call that would take a key past
1/`scale` of those limits within the current second, so a load test on a laptop meets the
hot-key limits a real site meets at `scale` times the traffic.

What it counts, and does not: one unit an item written (two in a transaction, as DynamoDB
bills them) and one an item read by key; not item sizes, Query or Scan, nor the indexes'
partitions (resume.capacity models those). Off unless `nox -s bench` (or a test) asks.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from resume.capacity import KEY_READ_UNITS_S, KEY_WRITE_UNITS_S, TRANSACTION_FACTOR
from resume_tools.local_cloud.loopback import HOST
from visitor_counter import schema

THROTTLED = {
    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "message": "Throughput exceeds the current capacity of your table or index.",
}
# (read or write, table, partition key value): the units an operation takes of each key.
Use = tuple[str, str, str]


def uses(operation: str, request: dict[str, Any]) -> Counter[Use]:
    """The units each key takes of a request, by DynamoDB's operation name."""
    found: Counter[Use] = Counter()

    def add(kind: str, table: str, item: dict[str, Any], units: int = 1) -> None:
        found[(kind, table, str(item[schema.PARTITION_KEY]["S"]))] += units

    table = request.get("TableName", "")
    if operation == "GetItem":
        add("read", table, request["Key"])
    elif operation in ("UpdateItem", "DeleteItem"):
        add("write", table, request["Key"])
    elif operation == "PutItem":
        add("write", table, request["Item"])
    elif operation == "BatchGetItem":
        for name, batch in request["RequestItems"].items():
            for key in batch["Keys"]:
                add("read", name, key)
    elif operation == "BatchWriteItem":
        for name, writes in request["RequestItems"].items():
            for write in writes:
                put, delete = write.get("PutRequest"), write.get("DeleteRequest")
                add("write", name, put["Item"] if put else delete["Key"])
    elif operation == "TransactWriteItems":
        for action in request["TransactItems"]:
            ((_, part),) = action.items()
            add("write", part["TableName"], part.get("Key") or part["Item"], TRANSACTION_FACTOR)
    return found


class PartitionLimits:
    """The proxy: `url` to point the function's DynamoDB client at, and what it refused."""

    def __init__(
        self, upstream: str, scale: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._upstream = upstream.rstrip("/")
        self._clock = clock
        self._limits = {"write": KEY_WRITE_UNITS_S / scale, "read": KEY_READ_UNITS_S / scale}
        self._lock = threading.Lock()
        self._second = 0
        self._used: Counter[Use] = Counter()
        self.throttled: Counter[Use] = Counter()  # refused calls, by the key that refused
        self._server = ThreadingHTTPServer((HOST, 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://{HOST}:{self._server.server_address[1]}"

    def __enter__(self) -> PartitionLimits:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def admit(self, wanted: Counter[Use]) -> Use | None:
        """Take `wanted` of this second's units, or nothing: the first key it would pass."""
        with self._lock:
            now = int(self._clock())
            if now != self._second:
                self._second, self._used = now, Counter()
            for use, units in wanted.items():
                if self._used[use] + units > self._limits[use[0]]:
                    self.throttled[use] += 1
                    return use
            self._used.update(wanted)
            return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        limits = self

        class Forward(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
                if limits.admit(uses(operation, json.loads(body or b"{}"))) is not None:
                    self._answer(400, json.dumps(THROTTLED).encode(), {})
                    return
                status, answer, headers = limits.forward(self.path, self.headers.items(), body)
                self._answer(status, answer, headers)

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:  # the bench prints its own table
                pass

        return Forward

    def forward(
        self, path: str, headers: Iterator[tuple[str, str]] | Any, body: bytes
    ) -> tuple[int, bytes, dict[str, str]]:
        """Send the call on to moto as it came; its answer."""
        kept = {name: value for name, value in headers if name.lower() != "host"}
        # moto on loopback, an http:// URL the local cloud made: no other scheme reaches here.
        url = self._upstream + path
        request = urllib.request.Request(url, data=body, headers=kept, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return answer.status, answer.read(), dict(answer.headers.items())
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read(), dict(refused.headers.items())
