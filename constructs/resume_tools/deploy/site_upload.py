"""Upload the site to its bucket: right content types, cache headers, only what changed."""

from __future__ import annotations

import hashlib
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Pages and the runtime config must be fresh on every visit; other assets may be cached a while.
NO_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=300"
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
    """Every file of the site, plus config.json telling the page where the API is."""
    files = [
        _site_file(path.relative_to(site_dir).as_posix(), path.read_bytes())
        for path in sorted(site_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]
    runtime = json.dumps({"apiUrl": api_url.rstrip("/")}, indent=2).encode() + b"\n"
    return [*files, _site_file(RUNTIME_CONFIG, runtime)]


def _site_file(key: str, body: bytes) -> SiteFile:
    suffix = Path(key).suffix
    content_type = _TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    cache = NO_CACHE if suffix == ".html" or key == RUNTIME_CONFIG else ASSET_CACHE
    return SiteFile(key, body, content_type, cache)


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
    """Ask CloudFront to drop the changed paths; return the invalidation id."""
    paths = sorted({"/" + key for key in keys} | ({"/"} if "index.html" in keys else set()))
    reference = hashlib.sha256("\n".join(paths).encode()).hexdigest()[:32]
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": reference,
        },
    )
    return str(response["Invalidation"]["Id"])
