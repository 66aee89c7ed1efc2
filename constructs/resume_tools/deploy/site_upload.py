"""Upload the site to its bucket: right content types, cache headers, only what changed."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume_tools.errors import OpsError

# Pages and the runtime config must be fresh on every visit; fingerprinted assets (a new
# build gives a changed file a new name) never change; other assets may be cached a while.
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
ASSET_CACHE = "public, max-age=300"
# Folders whose every file a generator fingerprints: Astro's and Next's static export's.
# (Not "assets/": Jekyll keeps plain style.css there; Vite's assets/ names carry a hash and
# pass the name rule below.)
FINGERPRINTED_FOLDERS = ("_astro/", "_next/static/")
# A content hash in a file name: a part after the first (between dots and dashes) of 8+
# letters and digits with both in it ("index.4f2a1c3b.css", "index-B4dC0ffe.js"), not a
# size ("og-image-1200x630.png"). Strict on purpose: a name taken for a hash caches a
# changed file for a year in browsers ("IMG_1234.jpg", "resume2024.pdf" stay short-lived);
# a hash missed costs a revalidation after 300 s.
_HASH_PART = re.compile(r"^(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]{8,}$")
_SIZE_PART = re.compile(r"^[0-9]+x[0-9]+$")
# The embeddable counter, added to a site that does not bring its own (a generator's build).
COUNTER_SCRIPT = Path(__file__).resolve().parents[2] / "site" / "counter.js"
# The owner's stats page, added to every site at /stats/, and the chart library it loads,
# copied from the npm package package-lock.json pins (no CDN at run time).
STATS_PREFIX = "stats/"
STATS_PAGE_DIR = Path(__file__).resolve().parents[2] / "stats_page"
CHART_DIR = Path(__file__).resolve().parents[3] / "node_modules" / "uplot" / "dist"
CHART_FILES = ("uPlot.iife.min.js", "uPlot.min.css")
# CloudFront bills invalidation paths past an account's first 1,000 a month (and takes
# 3,000 in progress at once): more changed paths than this go as one wildcard, one path.
MAX_INVALIDATION_PATHS = 25
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}
RUNTIME_CONFIG = "config.json"
# A path with a segment starting with "." is a tool's, not the site's: a gh-pages clone's
# .git/ (its config, its packfiles), .env, .DS_Store, assets/.cache/. The bucket is public,
# so these are never uploaded, at any depth. The one exception is the top-level
# .well-known/, which RFC 8615 gives sites for files they publish (security.txt); a
# dot-segment below it is still left out (.well-known/.DS_Store).
WELL_KNOWN = ".well-known"


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
    """Every file of the site, config.json (where the API is), counter.js, the stats page.

    A file with a dot-segment in its path is left out (see `is_published`), and so, at the
    next sync, deleted from the bucket if an earlier upload put it there. The counter
    script is the product's, unless the site brings its own; the stats page is always the
    product's, so a site's own stats/ folder is an error.
    """
    files = [_site_file(key, path.read_bytes()) for key, path in _published_files(site_dir)]
    clash = [file.key for file in files if file.key.startswith(STATS_PREFIX)]
    if clash:
        raise OpsError(
            f"{site_dir} has {clash[0]}: /stats/ is the stats page's; rename the site's folder"
        )
    if COUNTER_SCRIPT.name not in {file.key for file in files}:
        files.append(_site_file(COUNTER_SCRIPT.name, COUNTER_SCRIPT.read_bytes()))
    runtime = json.dumps({"apiUrl": api_url.rstrip("/")}, indent=2).encode() + b"\n"
    return [*files, *stats_page_files(), _site_file(RUNTIME_CONFIG, runtime)]


def is_published(key: str) -> bool:
    """False for a key with a segment starting with ".", but for the top-level .well-known/."""
    segments = key.split("/")
    if len(segments) > 1 and segments[0] == WELL_KNOWN:
        segments = segments[1:]
    return not any(segment.startswith(".") for segment in segments)


def _published_files(site_dir: Path) -> list[tuple[str, Path]]:
    """The build's files to upload, each with its bucket key."""
    paths = sorted(site_dir.rglob("*"))
    keyed = [(path.relative_to(site_dir).as_posix(), path) for path in paths]
    return [(key, path) for key, path in keyed if path.is_file() and is_published(key)]


def stats_page_files(chart_dir: Path = CHART_DIR) -> list[SiteFile]:
    """The stats page's files and the chart library's, as the site serves them at /stats/."""
    missing = [name for name in CHART_FILES if not (chart_dir / name).is_file()]
    if missing:
        raise OpsError(
            f"{chart_dir / missing[0]} is missing: the stats page's chart comes from npm; "
            "run `npm ci --ignore-scripts` (nox sessions do)"
        )
    pages = sorted(path for path in STATS_PAGE_DIR.iterdir() if path.is_file())
    return [
        *(_site_file(STATS_PREFIX + path.name, path.read_bytes()) for path in pages),
        *(_site_file(STATS_PREFIX + name, (chart_dir / name).read_bytes()) for name in CHART_FILES),
    ]


def cache_control(key: str) -> str:
    """The Cache-Control a site file is uploaded with."""
    if key.endswith(".html") or key == RUNTIME_CONFIG:
        return NO_CACHE
    # The first part is the name, the last the extension: a hash is in between.
    parts = re.split(r"[.-]", key.rsplit("/", 1)[-1])[1:-1]
    hashed = any(_HASH_PART.match(part) and not _SIZE_PART.match(part) for part in parts)
    if key.startswith(FINGERPRINTED_FOLDERS) or hashed:
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

    A page's key and the URIs a viewer asks for it by ("blog/index.html": "/blog" and
    "/blog/"), as AWS advises when a viewer-request function rewrites URIs. Over
    MAX_INVALIDATION_PATHS, one "/*". Every call is a new invalidation: CloudFront answers a
    repeated CallerReference with the old one, which would invalidate nothing.
    """
    paths = sorted({path for key in keys for path in _viewer_paths(key)})
    if len(paths) > MAX_INVALIDATION_PATHS:
        paths = ["/*"]
    reference = str(uuid.uuid4())
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": reference,
        },
    )
    return str(response["Invalidation"]["Id"])


def _viewer_paths(key: str) -> list[str]:
    """The paths a viewer may ask for a bucket key by."""
    paths = ["/" + key]
    if key == "index.html" or key.endswith("/index.html"):
        folder = "/" + key.removesuffix("index.html")
        paths += [folder, folder.rstrip("/")] if folder != "/" else ["/"]
    elif key.endswith(".html"):
        paths.append("/" + key.removesuffix(".html"))
    return paths
