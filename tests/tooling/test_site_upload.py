"""What the site is uploaded with: cache headers that fit a generator's output, the counter,
and invalidations within CloudFront's limits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from resume_tools.deploy.site_upload import (
    ASSET_CACHE,
    CHART_DIR,
    COUNTER_SCRIPT,
    IMMUTABLE,
    MAX_INVALIDATION_PATHS,
    NO_CACHE,
    RUNTIME_CONFIG,
    STATS_PAGE_DIR,
    STATS_PREFIX,
    SiteFile,
    cache_control,
    invalidate,
    is_published,
    site_files,
    stats_page_files,
    sync,
)
from resume_tools.errors import OpsError
from tests.support.synth import PROJECT_ROOT

FIXTURE_SITE = PROJECT_ROOT / "tests" / "fixtures" / "generator_site"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("index.html", NO_CACHE),
        ("blog/first-post/index.html", NO_CACHE),
        ("config.json", NO_CACHE),
        ("_astro/index.B4dC0ffe.css", IMMUTABLE),
        ("_astro/logo.svg", IMMUTABLE),  # Astro fingerprints everything it puts there
        ("_next/static/chunks/main.js", IMMUTABLE),
        ("assets/index-4f2a1c3b.js", IMMUTABLE),  # Vite
        ("css/main.min.2f9b1c7d3e4a5b6c.css", IMMUTABLE),  # Hugo's fingerprint
        ("assets/css/style.css", ASSET_CACHE),  # Jekyll: no hash, so no year-long cache
        ("fonts/Inter-SemiBold.woff2", ASSET_CACHE),
        ("js/jquery-3.7.1.min.js", ASSET_CACHE),
        # Names that look like hashes and are not: they change in place.
        ("resume2024.pdf", ASSET_CACHE),
        ("John_Doe_Resume_2024.pdf", ASSET_CACHE),
        ("images/IMG_20230704_101112.jpg", ASSET_CACHE),
        ("images/DSC01234.JPG", ASSET_CACHE),
        ("og-image-1200x630.png", ASSET_CACHE),
        ("icons/icon-1024x1024.png", ASSET_CACHE),
        ("fonts/KaTeX_Size1-Regular.woff2", ASSET_CACHE),
        ("page-data/sq/d/123456789.json", ASSET_CACHE),
        ("assets/js/bundle_v12.js", ASSET_CACHE),
        ("counter.js", ASSET_CACHE),
        ("favicon.svg", ASSET_CACHE),
    ],
)
def test_cache_control_by_key(key: str, expected: str) -> None:
    assert cache_control(key) == expected


def test_a_generated_site_gets_the_counter_script_and_the_runtime_config() -> None:
    files = {file.key: file for file in site_files(FIXTURE_SITE, "https://api.example")}

    assert files["counter.js"].body.startswith(b"// The embeddable visitor counter")
    assert files["config.json"].body == b'{\n  "apiUrl": "https://api.example"\n}\n'
    assert files["_astro/index.B4dC0ffe.css"].cache_control == IMMUTABLE
    assert files["blog/index.html"].content_type == "text/html; charset=utf-8"


def test_a_site_with_its_own_counter_keeps_it(tmp_path: Path) -> None:
    (tmp_path / "counter.js").write_text("// mine\n")

    (counter,) = [f for f in site_files(tmp_path, "https://api.example") if f.key == "counter.js"]

    assert counter.body == b"// mine\n"


@pytest.fixture
def cloudfront() -> Iterator[tuple[Any, str]]:
    with mock_aws():
        client = boto3.client("cloudfront", region_name="us-east-1")
        origin = {
            "Id": "o",
            "DomainName": "b.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
        }
        config = {
            "CallerReference": "test",
            "Comment": "",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"},
        }
        created = client.create_distribution(DistributionConfig=config)
        yield client, created["Distribution"]["Id"]


def invalidated_paths(client: Any, distribution_id: str, invalidation_id: str) -> list[str]:
    found = client.get_invalidation(DistributionId=distribution_id, Id=invalidation_id)
    return list(found["Invalidation"]["InvalidationBatch"]["Paths"]["Items"])


def test_changed_files_are_invalidated_one_path_each(cloudfront: tuple[Any, str]) -> None:
    client, distribution = cloudfront

    invalidation = invalidate(
        client, distribution, ["index.html", "blog/index.html", "about.html", "a.css"]
    )

    # A page by its key and by the URIs viewers ask for it (AWS's advice for rewrites).
    assert sorted(invalidated_paths(client, distribution, invalidation)) == [
        "/", "/a.css", "/about", "/about.html", "/blog", "/blog/", "/blog/index.html",
        "/index.html",
    ]  # fmt: skip


def test_the_same_change_twice_is_invalidated_twice(cloudfront: tuple[Any, str]) -> None:
    client, distribution = cloudfront

    first = invalidate(client, distribution, ["resume.pdf"])
    second = invalidate(client, distribution, ["resume.pdf"])

    assert first != second


def test_more_changes_than_the_limit_go_as_one_wildcard(cloudfront: tuple[Any, str]) -> None:
    client, distribution = cloudfront
    keys = [f"posts/{number}.css" for number in range(MAX_INVALIDATION_PATHS + 1)]

    invalidation = invalidate(client, distribution, keys)

    assert invalidated_paths(client, distribution, invalidation) == ["/*"]


def test_every_site_gets_the_stats_page_and_its_chart_library() -> None:
    files = {file.key: file for file in site_files(FIXTURE_SITE, "https://api.example")}

    stats = sorted(key for key in files if key.startswith("stats/"))
    assert stats == [
        "stats/index.html",
        "stats/stats.css",
        "stats/stats.js",
        "stats/uPlot.iife.min.js",
        "stats/uPlot.min.css",
    ]
    assert files["stats/index.html"].cache_control == NO_CACHE
    assert files["stats/uPlot.iife.min.js"].content_type == "text/javascript; charset=utf-8"
    assert files["stats/uPlot.min.css"].content_type == "text/css; charset=utf-8"
    assert files["stats/uPlot.iife.min.js"].body == (CHART_DIR / "uPlot.iife.min.js").read_bytes()


def test_the_stats_page_runs_no_inline_script_or_style() -> None:
    page = (STATS_PAGE_DIR / "index.html").read_text()

    # The site's Content-Security-Policy allows neither (script-src 'self', style-src 'self').
    assert "<style" not in page
    assert "style=" not in page
    assert all(' src="/stats/' in tag for tag in re.findall(r"<script[^>]*>", page))


def test_a_site_with_its_own_stats_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "index.html").write_text("<p>mine</p>")

    with pytest.raises(OpsError, match=r"has stats/index.html: /stats/ is the stats page's"):
        site_files(tmp_path, "https://api.example")


def test_a_missing_chart_library_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(
        OpsError, match=r"uPlot.iife.min.js is missing: .* `npm ci --ignore-scripts`"
    ):
        stats_page_files(tmp_path)


# A build's dot-paths: a gh-pages clone's .git/, an editor's or OS's leftovers, secrets.
DOT_PATHS = (
    ".git/config",
    ".git/objects/pack/x.pack",
    ".env",
    ".DS_Store",
    "sub/.hidden/file.html",
    "assets/.cache/x",
)


def write_build(site_dir: Path, keys: tuple[str, ...]) -> None:
    for key in keys:
        (site_dir / key).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / key).write_text(f"contents of {key}\n")


def the_sites_own_keys(files: list[SiteFile]) -> set[str]:
    """The keys of the build's files, less the product's (counter, runtime config, stats)."""
    added = {COUNTER_SCRIPT.name, RUNTIME_CONFIG}
    return {f.key for f in files if f.key not in added and not f.key.startswith(STATS_PREFIX)}


def test_dot_paths_of_a_build_are_not_uploaded_but_well_known_is(tmp_path: Path) -> None:
    write_build(tmp_path, (*DOT_PATHS, ".well-known/security.txt", "index.html", "sub/a.html"))

    files = site_files(tmp_path, "https://api.example")

    assert the_sites_own_keys(files) == {".well-known/security.txt", "index.html", "sub/a.html"}


@pytest.mark.parametrize(
    ("key", "published"),
    [
        (".well-known/security.txt", True),
        (".well-known/acme-challenge/token", True),
        ("index.html", True),
        ("a.b/c.d.html", True),  # a dot inside a segment is no dot-segment
        (".well-known/.DS_Store", False),  # only the folder itself is exempt
        ("sub/.well-known/security.txt", False),  # only at the top, where RFC 8615 puts it
        (".well-known", False),  # a file of that name is not the folder
    ],
)
def test_which_keys_are_published(key: str, published: bool) -> None:
    assert is_published(key) is published


def test_dot_paths_an_earlier_upload_left_are_deleted_from_the_bucket(tmp_path: Path) -> None:
    write_build(tmp_path, ("index.html", ".git/config"))
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="site")
        for key in ("index.html", ".git/config"):  # as an upload before the fix left them
            s3.put_object(Bucket="site", Key=key, Body=(tmp_path / key).read_bytes())

        changed = sync(s3, "site", site_files(tmp_path, "https://api.example"))

        remaining = [item["Key"] for item in s3.list_objects_v2(Bucket="site")["Contents"]]
    assert ".git/config" not in remaining
    assert ".git/config" in changed  # so it is invalidated in CloudFront too
    assert "index.html" in remaining
    assert "index.html" not in changed
