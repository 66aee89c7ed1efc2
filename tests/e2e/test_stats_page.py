"""The stats page in a person's browser, on the local cloud with its seeded history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page

from tests.support.cloud import RunningCloud
from tests.support.stats import utc_today
from tests.support.synth import PROJECT_ROOT

pytestmark = pytest.mark.e2e
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
# How much of the chart's canvas is drawn (not transparent): a blank canvas has none.
DRAWN_PIXELS = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
  return drawn;
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A tab on a phone-sized screen."""
    context = browser.new_context(
        user_agent=PHONE, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def open_stats(page: Page, url: str, state: str = "ready") -> list[str]:
    """Open the stats page; wait for `state`; return every URL the page requested."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_selector(f"body[data-state='{state}']", timeout=30_000)
    return requested


def test_the_stats_page_shows_the_chart_top_pages_and_referrers(
    cloud: RunningCloud, page: Page
) -> None:
    token = cloud.stats_token

    requested = open_stats(page, cloud.stats_url)

    canvas = page.wait_for_selector("#chart canvas")
    assert canvas is not None
    assert canvas.evaluate(DRAWN_PIXELS) > 1000
    assert page.locator("#daily-table tbody tr").count() == 30
    pages = page.locator("#top-pages tbody tr").all_inner_texts()
    assert any(row.startswith("/\t") for row in pages), pages
    sources = page.locator("#referrers tbody").inner_text()
    assert "news.ycombinator.com" in sources
    assert "www.google.com" in sources
    assert int(page.inner_text("#total-views").replace(",", "")) > 0
    # The token stays in the tab: out of the address bar and of every URL fetched.
    assert "#token" not in page.url
    assert requested
    assert not [url for url in requested if token in url]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stats-desktop.png"), full_page=True)


def test_a_page_and_a_range_are_chosen_with_the_keyboard(cloud: RunningCloud, page: Page) -> None:
    open_stats(page, cloud.stats_url)

    page.focus("#top-pages tbody button[data-page='/posts/hello']")
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-state='ready'] #selected-page:text('/posts/hello')")
    page.focus(".presets button[data-days='7']")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#daily-table tbody tr').length === 7")

    assert page.inner_text("#selected-page") == "/posts/hello"
    assert "page=%2Fposts%2Fhello" in page.url or "page=/posts/hello" in page.url


def test_the_stats_page_reads_well_on_a_phone(cloud: RunningCloud, phone: Page) -> None:
    open_stats(phone, cloud.stats_url)

    canvas = phone.wait_for_selector("#chart canvas")
    assert canvas is not None
    assert canvas.evaluate(DRAWN_PIXELS) > 500
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "stats-phone.png"), full_page=True)


def test_a_wrong_token_gets_a_clear_message_and_a_way_to_enter_the_right_one(
    cloud: RunningCloud, page: Page
) -> None:
    token = cloud.stats_token

    open_stats(page, f"{cloud.site_url}/stats/#token=not-the-token", state="unauthorized")

    assert "This token was not accepted" in page.inner_text("#message")
    assert page.is_visible("#token-form")
    page.fill("#token-input", token)
    page.press("#token-input", "Enter")
    page.wait_for_selector("body[data-state='ready']", timeout=30_000)
    assert page.is_hidden("#message")
    assert page.locator("#referrers tbody tr").count() > 1


def test_the_demo_page_links_to_the_stats_which_ask_a_new_tab_for_its_token(
    cloud: RunningCloud, page: Page
) -> None:
    page.goto(cloud.site_url + "/")

    page.click("a[href='/stats/']")
    page.wait_for_selector("body[data-state='unauthorized']", timeout=30_000)

    assert "These stats need a token" in page.inner_text("#message")
    assert page.is_visible("#token-input")


def test_a_visit_from_a_link_on_another_site_is_counted_under_that_sites_host(
    cloud: RunningCloud, page: Page
) -> None:
    token = cloud.stats_token
    params = {"page": "/posts/hello", "from": utc_today(), "to": utc_today()}
    headers = {"Authorization": f"Bearer {token}", "Origin": cloud.site_url}

    def from_lobsters() -> int:
        answer = requests.get(
            f"{cloud.api_url}/stats/referrers", params=params, headers=headers, timeout=10
        )
        rows = {row["source"]: row["views"] for row in answer.json()["referrers"]}
        return int(rows.get("lobste.rs", 0))

    before = from_lobsters()
    page.goto(cloud.site_url + "/posts/hello", referer="https://lobste.rs/s/abc123/a_thread")
    page.wait_for_selector(".visitor-counter[data-state='ready']")

    assert from_lobsters() == before + 1
