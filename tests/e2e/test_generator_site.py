"""A static-site generator's build, deployed to a local cloud of its own (RESUME_SITE_DIR):
pretty URLs through the site's CloudFront Function, its 404 page, fingerprinted assets
cached for good, and the embedded counter counting pages under their canonical ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page

from tests.support.browser import shown
from tests.support.cloud import RunningCloud, running_cloud
from tests.support.events import BROWSER

pytestmark = pytest.mark.e2e
FIXTURE_SITE = "tests/fixtures/generator_site"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    """The fixture site on its own local cloud (own moto, own synth folder)."""
    outdir: Path = tmp_path_factory.mktemp("generator-site-cdktf")
    with running_cloud({"RESUME_SITE_DIR": FIXTURE_SITE, "CDKTF_OUTDIR": str(outdir)}) as cloud:
        yield cloud


def title(response: requests.Response) -> str:
    found = re.search(r"<title>([^<]*)</title>", response.text)
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    ("path", "page_title"),
    [
        ("/", "Fixture home"),
        ("/blog", "Fixture blog"),
        ("/blog/", "Fixture blog"),
        ("/blog/first-post/", "Fixture first post"),
        ("/blog/first-post", "Fixture first post"),
        ("/about", "Fixture about"),
    ],
)
def test_pretty_urls_answer_their_page(generated: RunningCloud, path: str, page_title: str) -> None:
    response = requests.get(generated.site_url + path, timeout=10, allow_redirects=False)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert title(response) == page_title


@pytest.mark.parametrize("path", ["/missing", "/blog/missing/", "/nothing.css"])
def test_a_missing_page_is_the_sites_404(generated: RunningCloud, path: str) -> None:
    response = requests.get(generated.site_url + path, timeout=10)

    assert response.status_code == 404
    assert title(response) == "Fixture not found"


def test_a_fingerprinted_asset_is_cached_for_good(generated: RunningCloud) -> None:
    response = requests.get(generated.site_url + "/_astro/index.B4dC0ffe.css", timeout=10)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"


def test_the_deploy_knows_the_pretty_pages_and_nothing_else(generated: RunningCloud) -> None:
    def post(page: str) -> requests.Response:
        headers = {"User-Agent": BROWSER, "Origin": generated.site_url}
        return requests.post(f"{generated.api_url}/pages/{page}", headers=headers, timeout=10)

    assert post("%2Fabout%2F").json()["page"] == "/about"
    assert post("%2Fblog%2Findex.html").json()["page"] == "/blog"
    assert post("%2Fposts%2Fhello.html").status_code == 404  # the demo site's, not this one's


def test_the_embedded_counter_counts_the_pretty_page_in_a_browser(
    generated: RunningCloud, page: Page
) -> None:
    def stored_views() -> int:
        answer = requests.get(f"{generated.api_url}/pages/%2Fblog%2Ffirst-post", timeout=10)
        return int(answer.json()["views"]) if answer.status_code == 200 else 0

    before = stored_views()

    page.goto(generated.site_url + "/blog/first-post/")

    assert int(shown(page, "[data-counter='views']")) == before + 1
    assert stored_views() == before + 1
