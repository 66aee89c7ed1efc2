"""A local stand-in for CloudFront: the site's function, then the bucket, as the distribution.

Every GET runs the deployed viewer-request function (the same JavaScript CloudFront runs,
under Node: edge_function.py), which may answer itself (a redirect) or rewrite the URI.
The rewritten URI is the bucket key, without default-object magic: S3's REST endpoint,
which CloudFront reads through Origin Access Control, has none (only "/" is the
distribution's default root object). A missing key answers the site's 404 page with 404.

`/api/*`, any method, is the distribution's API behaviour (ApiBehaviour): the deployed
`/api` function, then the local API Gateway with the viewer's headers but Host
(AllViewerExceptHostHeader), the origin's custom header, and CloudFront's country header.
The function sees the viewer's address as CloudFront gives it (event.viewer.ip): the
connection's.
The stand-in cannot locate a viewer: a viewer's own `CloudFront-Viewer-Country` stands in
for CloudFront's lookup (on AWS, CloudFront replaces it). As on AWS, the distribution's
custom error responses apply to the API's 403 and 404 too: the site's 404 page, status 404.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from resume.edge_code import API_PATH, NOT_FOUND_STATUSES
from resume_tools.errors import OpsError
from resume_tools.local_cloud.edge_function import EdgeFunction
from resume_tools.local_cloud.loopback import LoopbackServer, QuietHandler
from visitor_counter.viewer import ORIGIN_VERIFY_HEADER

DEFAULT_ROOT_OBJECT = "index.html"
# Hop-by-hop headers a proxy never forwards (RFC 9110), and what the stand-in re-frames.
_NOT_FORWARDED = frozenset(
    {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"}
)
_TIMEOUT_S = 30  # CloudFront's default origin response timeout


@dataclass(frozen=True)
class ApiBehaviour:
    """The distribution's `/api/*`: its function, the API's local address, the header value."""

    edge: EdgeFunction
    api_host: str
    api_port: int
    secret: str


class SiteServer(LoopbackServer):
    """GET/HEAD through the viewer-request function to the bucket; 404 page on a miss.

    Any method on /api/* through the API behaviour.
    """

    def __init__(
        self,
        s3: Any,
        bucket: str,
        port: int,
        edge: EdgeFunction,
        error_page: str,
        api: ApiBehaviour,
    ) -> None:
        super().__init__(_request_handler(s3, bucket, edge, error_page.lstrip("/"), api), port)


def _request_handler(
    s3: Any, bucket: str, edge: EdgeFunction, error_page: str, api: ApiBehaviour
) -> type[QuietHandler]:
    def fetch(key: str) -> tuple[dict[str, str], bytes] | None:
        try:
            item = s3.get_object(Bucket=bucket, Key=key)
        except s3.exceptions.NoSuchKey:
            return None
        headers = {"Content-Type": item.get("ContentType", "application/octet-stream")}
        if item.get("CacheControl"):
            headers["Cache-Control"] = item["CacheControl"]
        return headers, item["Body"].read()

    class Site(QuietHandler):
        def _not_found(self) -> None:
            page = fetch(error_page)
            headers, data = page if page else ({"Content-Type": "text/plain"}, b"Not found")
            self.reply(404, headers, data)

        def _serve(self) -> None:
            """Serve one request, the way the distribution does."""
            parts = urlsplit(self.path)
            if parts.path.startswith(API_PATH + "/"):
                self._api(parts.path, parts.query)
                return
            if self.command not in ("GET", "HEAD"):
                # The default behaviour allows GET and HEAD only.
                self.reply(403, {"Content-Type": "text/plain"}, b"Method not allowed here")
                return
            try:
                answer = edge.run(
                    parts.path or "/", self.headers.get("Host", ""), parts.query, self.command
                )
            except OpsError:  # as CloudFront answers a function that fails
                self.reply(503, {"Content-Type": "text/plain"}, b"The function failed")
                return
            if answer.status:
                self.reply(answer.status, answer.headers or {}, b"")
                return
            key = unquote(answer.uri).lstrip("/") or DEFAULT_ROOT_OBJECT
            found = fetch(key)
            if found is not None:
                self.reply(200, *found)
                return
            self._not_found()

        def _api(self, path: str, query: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            viewer = {
                name.lower(): value
                for name, value in self.headers.items()
                if name.lower() not in _NOT_FORWARDED
            }
            try:
                answer = api.edge.run(
                    path,
                    self.headers.get("Host", ""),
                    query,
                    self.command,
                    viewer,
                    viewer_ip=self.client_address[0],
                )
            except OpsError:
                self.reply(503, {"Content-Type": "text/plain"}, b"The function failed")
                return
            # The viewer's headers as the function left them, but Host. The country is
            # among them: the stand-in's "lookup" is the viewer's own CloudFront-Viewer-Country.
            headers = {k: v for k, v in (answer.headers or {}).items() if k != "host"}
            # The origin's custom header replaces a viewer's of that name.
            headers[ORIGIN_VERIFY_HEADER] = api.secret
            target = answer.uri + (f"?{query}" if query else "")
            status, reply_headers, data = _forward(api, self.command, target, headers, body)
            if status in NOT_FOUND_STATUSES:
                self._not_found()
                return
            self.reply(status, reply_headers, data)

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve  # noqa: N815

    return Site


def _forward(
    api: ApiBehaviour, method: str, target: str, headers: dict[str, str], body: bytes
) -> tuple[int, dict[str, str], bytes]:
    """One origin request to the local API; its status, headers and body."""
    connection = http.client.HTTPConnection(api.api_host, api.api_port, timeout=_TIMEOUT_S)
    try:
        connection.request(method, target, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        kept = {
            name: value
            for name, value in response.getheaders()
            if name.lower() not in _NOT_FORWARDED and name.lower() not in ("date", "server")
        }
        return response.status, kept, data
    except OSError:
        return 502, {"Content-Type": "text/plain"}, b"The origin did not answer"
    finally:
        connection.close()
