"""Upload the site to its bucket: right content types, cache headers, only what changed."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Pages and the runtime config must be fresh on every visit; fingerprinted assets (a new
# build gives a changed file a new name) never change; other assets may be cached a while.
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
ASSET_CACHE = "public, max-age=300"
# Folders whose every file a generator fingerprints: Astro's and Next's static export's.
# (Not "assets/": Jekyll keeps plain style.css there; Vite's assets/ names carry a hash and
# pass the name rule below.)
FINGERPRINTED_FOLDERS = ("_astro/", "_next/static/")
# A part of a file name (between dots and dashes) that is a content hash: 8+ letters and
# digits with a digit in it ("index.4f2a1c3b.css", "index-B4dC0ffe.js"), or 8+ hex digits.
_HASH_PART = re.compile(r"^(?=[A-Za-z0-9_]*[0-9])[A-Za-z0-9_]{8,}$|^[0-9a-f]{8,}$")
# The embeddable counter, added to a site that does not bring its own (a generator's build).
COUNTER_SCRIPT = Path(__file__).resolve().parents[2] / "resume" / "site" / "counter.js"
# CloudFront invalidates up to 3,000 paths in progress at once and bills paths beyond 1,000
# a month: more changed files than this go as one wildcard (one path).
MAX_INVALIDATION_PATHS = 1000
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}
RUNTIME_CONFIG = "config.json"


@dataclass(frozen=True)
class SiteFile:
    """One object to put in the bucket."""

    key: str
    body: bytes
    content_type: str
    cache_control: str

    @property
    def etag(self) -> str:
        """S3's ETag for a single-part upload: the MD5 of the body, quoted."""
        return '"' + hashlib.md5(self.body, usedforsecurity=False).hexdigest() + '"'


def site_files(site_dir: Path, api_url: str) -> list[SiteFile]:
    """Every file of the site, config.json telling the page where the API is, counter.js.

    The counter script is the product's, unless the site brings its own.
    """
    files = [
        _site_file(path.relative_to(site_dir).as_posix(), path.read_bytes())
        for path in sorted(site_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]
    if COUNTER_SCRIPT.name not in {file.key for file in files}:
        files.append(_site_file(COUNTER_SCRIPT.name, COUNTER_SCRIPT.read_bytes()))
    runtime = json.dumps({"apiUrl": api_url.rstrip("/")}, indent=2).encode() + b"\n"
    return [*files, _site_file(RUNTIME_CONFIG, runtime)]


def cache_control(key: str) -> str:
    """The Cache-Control a site file is uploaded with."""
    if key.endswith(".html") or key == RUNTIME_CONFIG:
        return NO_CACHE
    name_parts = re.split(r"[.-]", key.rsplit("/", 1)[-1])[:-1]  # the extension never counts
    if key.startswith(FINGERPRINTED_FOLDERS) or any(_HASH_PART.match(p) for p in name_parts):
        return IMMUTABLE
    return ASSET_CACHE


def _site_file(key: str, body: bytes) -> SiteFile:
    suffix = Path(key).suffix
    content_type = _TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    return SiteFile(key, body, content_type, cache_control(key))


def sync(s3: Any, bucket: str, files: list[SiteFile]) -> list[str]:
    """Make the bucket hold exactly `files`; return the keys that changed."""
    existing: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        existing |= {item["Key"]: item["ETag"] for item in page.get("Contents", [])}
    changed = []
    for file in files:
        if existing.get(file.key) == file.etag:
            continue
        s3.put_object(
            Bucket=bucket,
            Key=file.key,
            Body=file.body,
            ContentType=file.content_type,
            CacheControl=file.cache_control,
        )
        changed.append(file.key)
    stale = sorted(set(existing) - {file.key for file in files})
    for key in stale:
        s3.delete_object(Bucket=bucket, Key=key)
    return changed + stale


def invalidate(cloudfront: Any, distribution_id: str, keys: list[str]) -> str:
    """Ask CloudFront to drop the changed paths; return the invalidation id.

    The viewer-request function runs before the cache: "/blog" and "/blog/" are cached as
    "/blog/index.html", the changed key itself. Over MAX_INVALIDATION_PATHS, one "/*".
    """
    paths = sorted({"/" + key for key in keys} | ({"/"} if "index.html" in keys else set()))
    if len(paths) > MAX_INVALIDATION_PATHS:
        paths = ["/*"]
    reference = hashlib.sha256("\n".join(paths).encode()).hexdigest()[:32]
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": reference,
        },
    )
    return str(response["Invalidation"]["Id"])
