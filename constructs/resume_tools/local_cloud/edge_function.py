"""Run the site's CloudFront Function locally: the deployed code, under Node, per request.

CloudFront runs the function's JavaScript for every viewer request; the local site server
does the same with the code it reads back from the emulator (GetFunction), in one Node
process (edge_runner.js) that answers one JSON line per request. Local and deployed
behaviour therefore come from one file, resume/edge/viewer_request.js.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume_tools.errors import OpsError

RUNNER = Path(__file__).with_name("edge_runner.js")


@dataclass(frozen=True)
class EdgeAnswer:
    """What the function decided: a rewritten request (URI, headers), or a response."""

    uri: str = ""
    status: int = 0
    # The response's headers, or the request's as the function left them.
    headers: dict[str, str] | None = None


class EdgeFunction:
    """One Node process running a viewer-request function's code; `run` is thread-safe."""

    def __init__(self, code: bytes) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="edge-function-")
        path = Path(self._dir.name) / "viewer_request.js"
        path.write_bytes(code)
        try:
            self._process = subprocess.Popen(  # noqa: S603 - node with our runner and the code
                ["node", str(RUNNER), str(path)],  # noqa: S607 - Node is a prerequisite
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        except FileNotFoundError:
            self._dir.cleanup()
            raise OpsError(
                "node is not installed: the local site runs its CloudFront Function "
                "with it (install Node.js 20 or later)"
            ) from None
        self._lock = threading.Lock()

    def run(
        self,
        uri: str,
        host: str,
        query: str,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        viewer_ip: str = "127.0.0.1",
    ) -> EdgeAnswer:
        """The function's answer to a request of `uri?query` with Host `host`.

        `headers` are the viewer's others (CloudFront Functions see lower-case names);
        `viewer_ip` is the address the viewer connected from.
        """
        viewer_headers = {name.lower(): {"value": value} for name, value in (headers or {}).items()}
        event = {
            "version": "1.0",
            "context": {"eventType": "viewer-request"},
            "viewer": {"ip": viewer_ip},
            "request": {
                "method": method,
                "uri": uri,
                "querystring": _querystring(query),
                "headers": {**viewer_headers, "host": {"value": host}},
                "cookies": {},
            },
        }
        with self._lock:
            stdin, stdout = self._process.stdin, self._process.stdout
            if stdin is None or stdout is None or self._process.poll() is not None:
                raise OpsError("the local CloudFront Function runner (node) is not running")
            stdin.write(json.dumps(event) + "\n")
            stdin.flush()
            line = stdout.readline()
        answer: dict[str, Any] = json.loads(line) if line else {"error": "no answer"}
        if "error" in answer:
            raise OpsError(f"the site's CloudFront Function failed: {answer['error']}")
        if "response" in answer:
            response = answer["response"]
            headers = {name: item["value"] for name, item in response.get("headers", {}).items()}
            return EdgeAnswer(status=int(response["statusCode"]), headers=headers)
        request = answer["request"]
        kept = {name: item["value"] for name, item in request.get("headers", {}).items()}
        return EdgeAnswer(uri=str(request["uri"]), headers=kept)

    def close(self) -> None:
        """Stop Node and remove the code's copy."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._dir.cleanup()


def _querystring(query: str) -> dict[str, Any]:
    """The query string as CloudFront Functions receive it: split, not decoded.

    A repeated name's values are in multiValue.
    """
    parsed: dict[str, Any] = {}
    for pair in filter(None, query.split("&")):
        name, _, value = pair.partition("=")
        entry = {"value": value}
        if name not in parsed:
            parsed[name] = entry
        else:
            previous = parsed[name]
            values = previous.get("multiValue", [{"value": previous["value"]}])
            parsed[name] = {"value": previous["value"], "multiValue": [*values, entry]}
    return parsed
