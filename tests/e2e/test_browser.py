"""The demo page in a real browser (Debian's Chromium, driven by Playwright) on the local cloud."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.conftest import RunningCloud
from tests.support.synth import PROJECT_ROOT

pytestmark = pytest.mark.e2e
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Without these, Chromium keeps dialling Google's hosts, which this closed network refuses.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system (.ci/run installs Debian's package)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "chromium not found: install Debian's chromium package (.ci/run does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def shown_count(page: Page) -> int:
    counter = page.locator("#visitor-count")
    page.wait_for_function(
        "() => /^[0-9]+$/.test(document.getElementById('visitor-count').textContent)"
    )
    return int(counter.inner_text())


def test_page_shows_the_count_and_a_reload_adds_one(cloud: RunningCloud, page: Page) -> None:
    page.goto(cloud.site_url + "/")
    first = shown_count(page)

    page.reload()
    second = shown_count(page)

    assert second == first + 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-page.png"), full_page=True)


def test_page_shows_the_fallback_when_the_api_is_unreachable(
    cloud: RunningCloud, page: Page
) -> None:
    # The browser's connections to the API are refused, as when the API is down.
    page.route(
        re.compile(re.escape(cloud.api_url) + ".*"), lambda route: route.abort("connectionrefused")
    )

    page.goto(cloud.site_url + "/")

    counter = page.locator("#visitor-count")
    page.wait_for_function(
        "() => document.getElementById('visitor-count').textContent === 'unavailable'"
    )
    assert counter.inner_text() == "unavailable"
