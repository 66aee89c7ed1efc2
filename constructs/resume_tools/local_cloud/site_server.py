"""A local stand-in for CloudFront: the site's function, then the bucket, as the distribution.

Every GET runs the deployed viewer-request function (the same JavaScript CloudFront runs,
under Node: edge_function.py), which may answer itself (a redirect) or rewrite the URI.
The rewritten URI is the bucket key, without default-object magic: S3's REST endpoint,
which CloudFront reads through Origin Access Control, has none (only "/" is the
distribution's default root object). A missing key answers the site's 404 page with 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from resume_tools.errors import OpsError
from resume_tools.local_cloud.edge_function import EdgeFunction
from resume_tools.local_cloud.loopback import LoopbackServer, QuietHandler

DEFAULT_ROOT_OBJECT = "index.html"


class SiteServer(LoopbackServer):
    """GET/HEAD through the viewer-request function to the bucket; 404 page on a miss."""

    def __init__(
        self, s3: Any, bucket: str, port: int, edge: EdgeFunction, error_page: str
    ) -> None:
        super().__init__(_request_handler(s3, bucket, edge, error_page.lstrip("/")), port)


def _request_handler(
    s3: Any, bucket: str, edge: EdgeFunction, error_page: str
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
        def do_GET(self) -> None:  # noqa: N802 - http.server's dispatch name
            """Serve one request, the way the distribution does."""
            parts = urlsplit(self.path)
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
            page = fetch(error_page)
            headers, data = page if page else ({"Content-Type": "text/plain"}, b"Not found")
            self.reply(404, headers, data)

        do_HEAD = do_GET  # noqa: N815 - http.server's dispatch name

        def do_POST(self) -> None:  # noqa: N802 - http.server's dispatch name
            """The distribution allows GET and HEAD only."""
            self.reply(403, {"Content-Type": "text/plain"}, b"Method not allowed here")

    return Site
