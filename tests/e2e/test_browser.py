"""The demo pages in a real browser (Debian's Chromium, driven by Playwright) on the local cloud."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote

import pytest
import requests
from playwright.sync_api import Browser, Page

from resume_tools.local_cloud.cloud import emulator_client
from resume_tools.local_cloud.gateway import LocalGateway
from resume_tools.local_cloud.loopback import LoopbackServer, QuietHandler
from resume_tools.local_cloud.stage_limits import StageLimits
from tests.support.browser import shown
from tests.support.cloud import RunningCloud
from tests.support.events import BROWSER
from tests.support.request_log import logged_requests
from tests.support.synth import PROJECT_ROOT
from tests.support.tables import all_items

pytestmark = pytest.mark.e2e
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def views_text(views: int) -> str:
    """What the counter inserts: grammatical, "1 view" and "2 views"."""
    return f"{views} view" if views == 1 else f"{views} views"


def stored(cloud: RunningCloud, page_id: str) -> dict[str, Any]:
    """A page's counts as the API reads them (none yet: zeros)."""
    answer = requests.get(f"{cloud.api_url}/pages/{page_id}", timeout=10)
    if answer.status_code == 404:
        return {"page": unquote(page_id), "views": 0, "visitors": 0}
    answer.raise_for_status()
    return dict(answer.json())


def test_the_page_shows_its_counts_and_a_reload_adds_a_view_not_a_visitor(
    cloud: RunningCloud, page: Page
) -> None:
    page.goto(cloud.site_url + "/")
    views, visitors = int(shown(page, "#page-views")), int(shown(page, "#page-visitors"))
    site_total = int(shown(page, "#site-total"))

    page.reload()
    again = int(shown(page, "#page-views")), int(shown(page, "#page-visitors"))

    assert again == (views + 1, visitors)
    assert int(shown(page, "#site-total")) == site_total + 1  # the original POST / as well
    assert visitors >= 1
    assert stored(cloud, "%2F") == {"page": "/", "views": views + 1, "visitors": visitors}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-page.png"), full_page=True)


def test_the_original_frontends_flow_a_test_client_post_then_a_page_load_shows_plus_one(
    cloud: RunningCloud, page: Page
) -> None:
    """The original project's own end-to-end test: a plain POST, then the page shows N + 1.

    The plain POST (no Origin, as a test client sends it) is answered with the count and
    counts nothing; the page load, from the site's origin, counts once.
    """
    plain = requests.post(cloud.api_url + "/", headers={"User-Agent": BROWSER}, timeout=10)
    count = int(plain.json()["visitors"])

    page.goto(cloud.site_url + "/")

    assert int(shown(page, "#site-total")) == count + 1


def test_one_tag_counts_its_own_page_and_adds_the_count_after_itself(
    cloud: RunningCloud, page: Page
) -> None:
    page.goto(cloud.site_url + "/posts/hello.html")
    first = shown(page, "span.visitor-counter")

    page.reload()
    second = shown(page, "span.visitor-counter")

    views = stored(cloud, "%2Fposts%2Fhello.html")["views"]
    assert (first, second) == (views_text(views - 1), views_text(views))
    assert page.locator("script[src='/counter.js'] + span.visitor-counter").count() == 1
    page.screenshot(path=str(ARTIFACTS / "demo-post.png"), full_page=True)


def test_a_headless_browser_is_a_bot_shown_the_count_uncounted(
    cloud: RunningCloud, browser: Browser
) -> None:
    context = browser.new_context()  # Chromium's own headless User-Agent
    tab = context.new_page()
    tab.goto(cloud.site_url + "/")
    first = shown(tab, "#page-views")

    tab.reload()

    assert shown(tab, "#page-views") == first
    assert stored(cloud, "%2F")["views"] == int(first)
    context.close()


def forwarding_proxy(target: str) -> LoopbackServer:
    """A stand-in address for the API that forwards to it until stopped."""

    class Forward(QuietHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            answer = requests.request(
                self.command,
                target + self.path,
                headers={k: v for k, v in self.headers.items() if k.lower() != "connection"},
                data=self.rfile.read(length) if length else None,
                timeout=10,
            )
            headers = {
                name: value
                for name, value in answer.headers.items()
                if name.lower() not in ("content-length", "connection", "date", "server")
            }
            # No keep-alive: once stopped, no open connection may still answer the page.
            self.close_connection = True
            self.reply(answer.status_code, {**headers, "Connection": "close"}, answer.content)

        do_GET = do_POST = do_OPTIONS = _forward  # noqa: N815

    handler: type[BaseHTTPRequestHandler] = Forward
    return LoopbackServer(handler, 0).start()


def test_the_page_shows_the_fallback_once_the_api_is_stopped(
    cloud: RunningCloud, page: Page
) -> None:
    api = forwarding_proxy(cloud.api_url)
    # The page's config names the stand-in address, so stopping it stops the page's API.
    page.route(
        "**/config.json",
        lambda route: route.fulfill(json={"apiUrl": api.url}),
    )
    page.goto(cloud.site_url + "/")
    assert shown(page, "#page-views").isdigit()

    api.stop()
    page.reload()

    assert shown(page, "#page-views") == "unavailable"
    assert shown(page, "#page-visitors") == "unavailable"
    assert shown(page, "#site-total") == "unavailable"
    assert page.locator("#page-views").get_attribute("data-state") == "unavailable"


PREFLIGHTED_POST = """async (api) => {
  const response = await fetch(api + "/", {
    method: "POST",
    headers: {"Content-Type": "application/json"},  // not a simple request: a preflight first
    body: "{}",
  });
  return {status: response.status, body: await response.json()};
}"""


def test_a_preflighted_post_from_the_site_counts_once_in_the_browser(
    cloud: RunningCloud, page: Page, stored_visitors: Callable[[], int]
) -> None:
    page.goto(cloud.site_url + "/posts/hello.html")
    shown(page, "[data-counter]")  # the page's own counting is done
    before = stored_visitors()

    answer = page.evaluate(PREFLIGHTED_POST, cloud.api_url)

    assert answer == {"status": 200, "body": {"visitors": before + 1}}
    assert stored_visitors() == before + 1


FOREIGN_PAGE_ID = "/e2e-foreign-origin"  # a known page (E2E_PAGE_PATTERNS): else a 404
# Another site's page, embedding the counter as any page on the web can.
FOREIGN_PAGE = """<!doctype html>
<p><span data-counter="views"></span> <span data-counter="site"></span></p>
<script src="{site}/counter.js" data-api="{api}" data-page="{page}"></script>"""
# What such a page can send without counter.js: a beacon never waits for a CORS answer. Its
# body is counter.js's own, a string, so text/plain: a simple request, as counter.js's are.
BEACONS = """([api, page]) => {
  const view = JSON.stringify({referrer: "", utm_source: ""});
  return [
    navigator.sendBeacon(api + "/pages/" + encodeURIComponent(page), view),
    navigator.sendBeacon(api + "/"),
  ];
}"""


@pytest.fixture
def foreign_site(cloud: RunningCloud) -> Iterator[str]:
    """The address of FOREIGN_PAGE, served from another loopback port: another origin.

    A real server, not `page.route`: Chromium gives a routed page no address, so public,
    and its Local Network Access rule would block every request to loopback before CORS.
    """
    html = FOREIGN_PAGE.format(site=cloud.site_url, api=cloud.api_url, page=FOREIGN_PAGE_ID)

    class Page(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's dispatch name
            self.reply(200, {"Content-Type": "text/html"}, html.encode())

    server = LoopbackServer(Page, 0).start()
    yield server.url
    server.stop()


def test_counter_js_and_beacons_on_a_page_of_another_origin_count_nothing(
    cloud: RunningCloud, page: Page, foreign_site: str, deployed_origins: list[str]
) -> None:
    """No preflight guards these requests: they reach the function, whose origin rule alone
    keeps another site from counting its visitors here (CORS only hides the answer)."""
    table = emulator_client("dynamodb", cloud.emulator_endpoint)
    before = all_items(table, cloud.table_name)
    seen = len(cloud.later_output)

    page.goto(foreign_site + "/")
    fallbacks = [shown(page, f"[data-counter={kind}]") for kind in ("views", "site")]
    queued = page.evaluate(BEACONS, [cloud.api_url, FOREIGN_PAGE_ID])
    records = logged_requests(cloud, seen, 4)

    assert foreign_site not in deployed_origins
    # Requests only add and update items: whatever they wrote is here.
    assert [item for item in all_items(table, cloud.table_name) if item not in before] == []
    # Each request reached the function, none preflighted, and the origin rule (not the bot
    # rule, not an unknown page) is what left each uncounted.
    assert [r["outcome"] for r in records] == ["foreign_origin"] * 4
    # Answered without CORS headers, the page cannot read the counts: counter.js's fetch
    # rejects and it shows its fallback.
    assert fallbacks == ["unavailable", "unavailable"]
    assert queued == [True, True]


def test_the_page_shows_the_fallback_when_the_stage_throttles(
    cloud: RunningCloud, page: Page
) -> None:
    invocations: list[str] = []

    def function(event: dict[str, Any], context: Any) -> dict[str, Any]:
        invocations.append(event["rawPath"])
        return {"statusCode": 200, "body": "{}"}

    # A stage whose one request of burst is spent: every call of the page gets a 429.
    gateway = LocalGateway(function, 0, StageLimits(burst=1, rate_rps=0.001, timeout_s=5))
    gateway.start()
    try:
        requests.post(gateway.url + "/", timeout=10)
        page.route("**/config.json", lambda route: route.fulfill(json={"apiUrl": gateway.url}))
        page.goto(cloud.site_url + "/")

        views = shown(page, "#page-views")
        throttled = requests.post(gateway.url + "/", timeout=10)
    finally:
        gateway.stop()

    assert views == "unavailable"
    assert shown(page, "#site-total") == "unavailable"
    assert throttled.status_code == 429
    assert invocations == ["/"]  # only the request that spent the burst reached the function


def test_the_owners_browser_counts_nothing_until_switched_back(
    cloud: RunningCloud, page: Page
) -> None:
    """The switch on /stats/ (no token needed: it is this browser's setting), then the site."""
    page.goto(cloud.site_url + "/stats/")
    page.wait_for_selector("body[data-owner='counted']")
    page.click("#owner-switch")
    page.wait_for_selector("body[data-owner='excluded']")
    assert "not counted" in page.inner_text("#owner-state")
    before_page = stored(cloud, "%2F")
    before_total = requests.get(cloud.api_url + "/", timeout=10).json()["visitors"]

    page.goto(cloud.site_url + "/")
    shown_while_off = int(shown(page, "#page-views")), int(shown(page, "#site-total"))
    page.reload()
    shown(page, "#page-views")
    counted_while_off = stored(cloud, "%2F")
    total_while_off = requests.get(cloud.api_url + "/", timeout=10).json()["visitors"]

    page.goto(cloud.site_url + "/stats/")
    page.click("#owner-switch")
    page.wait_for_selector("body[data-owner='counted']")
    page.goto(cloud.site_url + "/")
    shown_when_on = int(shown(page, "#page-views"))

    assert shown_while_off == (before_page["views"], before_total)  # read, not counted
    assert (counted_while_off, total_while_off) == (before_page, before_total)
    assert shown_when_on == before_page["views"] + 1
    assert stored(cloud, "%2F")["views"] == before_page["views"] + 1


def events_today(cloud: RunningCloud, page_id: str = "") -> dict[str, Any]:
    """The stats API's events of today, on one page when `page_id` is given."""
    query = f"?page={page_id}" if page_id else ""
    answer = requests.get(
        f"{cloud.api_url}/stats/events{query}",
        headers={"Authorization": f"Bearer {cloud.stats_token}"},
        timeout=10,
    )
    answer.raise_for_status()
    return {event["event"]: event for event in answer.json()["events"]}


def test_clicks_on_a_named_element_a_download_and_an_outbound_link_count_as_events(
    cloud: RunningCloud, page: Page
) -> None:
    page.route("https://github.com/**", lambda route: route.fulfill(body="elsewhere"))
    before = events_today(cloud)

    page.goto(cloud.site_url + "/")
    shown(page, "#page-views")  # the counter knows the API: it listens for clicks now
    page.click("#contact")
    page.click("#cv")  # the PDF downloads: the page stays
    page.click("#source")  # another site: the page unloads, the beacon still goes
    page.wait_for_url("https://github.com/**")
    added: dict[str, int] = {}
    for _ in range(50):  # beacons are sent when the browser chooses: a few seconds at most
        now = events_today(cloud)
        added = {
            name: now.get(name, {"count": 0})["count"] - before.get(name, {"count": 0})["count"]
            for name in ("contact-click", "download", "outbound")
        }
        if all(added.values()):
            break
        page.wait_for_timeout(200)

    assert added == {"contact-click": 1, "download": 1, "outbound": 1}
    on_home = events_today(cloud, "%2F")
    assert set(on_home) >= {"contact-click", "download", "outbound"}
    assert on_home["download"]["visitors"] >= 1  # uniques on the page it was on
    # Where each went: the file's path, the other site's host (never a query).
    everywhere = events_today(cloud)
    assert "/files/cv.pdf" in {t["target"] for t in everywhere["download"]["targets"]}
    assert "github.com" in {t["target"] for t in everywhere["outbound"]["targets"]}
    assert "targets" not in everywhere["contact-click"]
    page.goto(cloud.stats_url)
    page.wait_for_selector("body[data-state='ready']")
    rows = page.locator("#events tbody tr").all_inner_texts()
    assert any(row.startswith("contact-click\t") for row in rows), rows
    (download_row,) = [row for row in rows if row.startswith("download\t")]
    assert "/files/cv.pdf " in download_row.split("\t")[-1]
    page.click("#top-pages tbody button[data-page='/']")  # the events on that page
    page.wait_for_selector("body[data-state='ready'] #selected-page:text('/')")
    on_page = page.locator("#events tbody tr").all_inner_texts()
    downloads = on_home["download"]
    shown_row = f"download\t{downloads['count']:,}\t{downloads['visitors']:,}"
    assert any(row.startswith(shown_row) for row in on_page), on_page


def test_a_view_through_the_sites_api_shows_its_country_by_name_on_the_stats_page(
    cloud: RunningCloud, page: Page
) -> None:
    """The page's own request goes to the site's /api/ (config.json's apiUrl); the stand-in
    takes the viewer's CloudFront-Viewer-Country as CloudFront's lookup."""
    page.set_extra_http_headers({"CloudFront-Viewer-Country": "DE"})
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))

    with page.expect_response(lambda r: "/api/pages/" in r.url) as counted:
        page.goto(cloud.site_url + "/posts/hello.html")
    page.set_extra_http_headers({})
    page.goto(f"{cloud.site_url}/stats/?page=%2Fposts%2Fhello.html#token={cloud.stats_token}")
    page.wait_for_selector("body[data-state='ready']")
    countries = page.locator("#countries tbody tr").all_inner_texts()

    assert counted.value.status == 200
    assert counted.value.url.startswith(cloud.site_url + "/api/pages/")
    assert not any(url.startswith(cloud.api_url) for url in sent), sent
    assert any(row.startswith("Germany\t") for row in countries), countries
