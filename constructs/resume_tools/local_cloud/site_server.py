"""A local stand-in for CloudFront: serves the deployed site bucket, as the distribution does."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from resume_tools.local_cloud.loopback import LoopbackServer, QuietHandler

DEFAULT_ROOT_OBJECT = "index.html"
NOT_FOUND_PAGE = "404.html"


class SiteServer(LoopbackServer):
    """GET/HEAD from the bucket; "/" is index.html; a missing key answers 404.html with 404."""

    def __init__(self, s3: Any, bucket: str, port: int) -> None:
        super().__init__(_request_handler(s3, bucket), port)


def _request_handler(s3: Any, bucket: str) -> type[QuietHandler]:
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
            """Serve one object, the way the distribution maps paths to keys."""
            path = unquote(urlsplit(self.path).path)
            key = path.lstrip("/")
            if not key or key.endswith("/"):
                key += DEFAULT_ROOT_OBJECT
            found = fetch(key)
            if found is not None:
                self.reply(200, *found)
                return
            page = fetch(NOT_FOUND_PAGE)
            headers, data = page if page else ({"Content-Type": "text/plain"}, b"Not found")
            self.reply(404, headers, data)

        do_HEAD = do_GET  # noqa: N815 - http.server's dispatch name

        def do_POST(self) -> None:  # noqa: N802 - http.server's dispatch name
            """The distribution allows GET and HEAD only."""
            self.reply(403, {"Content-Type": "text/plain"}, b"Method not allowed here")

    return Site
