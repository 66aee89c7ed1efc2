"""Per-page counts, unique visitors and the counting rules, over HTTP on the local cloud."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
import requests

from resume_tools.local_cloud.cloud import emulator_client
from resume_tools.local_cloud.loopback import client_at
from tests.support.cloud import RunningCloud
from tests.support.events import BROWSER
from tests.support.tables import all_items
from visitor_counter import schema

pytestmark = pytest.mark.e2e
NO_QUERY = "Page id must be a path without a query string or fragment."
PROBE_AGENT = "Mozilla/5.0 (X11; Linux x86_64) E2EPageProbe/4.2 Firefox/130.0"


def post_page(
    cloud: RunningCloud,
    page: str,
    agent: str = BROWSER,
    *,
    client: requests.Session | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    # What a browser on the site sends: its Origin (without one, nothing counts).
    sent = {"User-Agent": agent, "Origin": cloud.site_url, **(headers or {})}
    return (client or requests.Session()).post(
        f"{cloud.api_url}/pages/{page}", headers=sent, timeout=10
    )


def table_items(cloud: RunningCloud) -> list[dict[str, Any]]:
    return all_items(emulator_client("dynamodb", cloud.emulator_endpoint), cloud.table_name)


def test_views_and_unique_visitors_of_a_page(cloud: RunningCloud) -> None:
    first = post_page(cloud, "%2FPosts%2FE2E-Hello%2F")
    again = post_page(cloud, "%2Fposts%2Fe2e-hello")
    other_browser = post_page(cloud, "%2Fposts%2Fe2e-hello", agent=PROBE_AGENT)
    other_address = post_page(cloud, "%2Fposts%2Fe2e-hello", client=client_at("127.0.0.2"))

    assert first.status_code == 200
    assert first.json() == {"page": "/posts/e2e-hello", "views": 1, "visitors": 1}
    assert again.json() == {"page": "/posts/e2e-hello", "views": 2, "visitors": 1}
    # The visitor hash leaves the User-Agent out: another browser at one address is no new
    # visitor; another address is.
    assert other_browser.json() == {"page": "/posts/e2e-hello", "views": 3, "visitors": 1}
    assert other_address.json() == {"page": "/posts/e2e-hello", "views": 4, "visitors": 2}


def test_get_reads_a_page_without_counting(cloud: RunningCloud) -> None:
    post_page(cloud, "%2Fe2e-read")

    read = requests.get(f"{cloud.api_url}/pages/%2Fe2e-read", timeout=10)
    again = requests.get(f"{cloud.api_url}/pages/%2Fe2e-read", timeout=10)

    assert read.status_code == 200
    assert read.json() == again.json() == {"page": "/e2e-read", "views": 1, "visitors": 1}


def test_top_pages_lists_the_most_viewed_first(cloud: RunningCloud) -> None:
    for address in ("127.0.0.3", "127.0.0.4"):
        client = client_at(address)
        for _ in range(25):
            post_page(cloud, "%2Fe2e-popular", client=client)

    top = requests.get(f"{cloud.api_url}/pages?top=1", timeout=10)

    assert top.status_code == 200
    assert top.json() == {"pages": [{"page": "/e2e-popular", "views": 50, "visitors": 2}]}


def test_bots_get_the_count_and_count_nothing(cloud: RunningCloud) -> None:
    post_page(cloud, "%2Fe2e-bots")

    for agent in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""):
        answered = post_page(cloud, "%2Fe2e-bots", agent=agent)
        assert answered.status_code == 200
        assert answered.json() == {"page": "/e2e-bots", "views": 1, "visitors": 1}


@pytest.mark.parametrize("header", ["DNT", "Sec-GPC"])
def test_opted_out_visitors_add_views_but_no_visitor(cloud: RunningCloud, header: str) -> None:
    page = f"%2Fe2e-opt-out-{header.lower()}"
    post_page(cloud, page, agent=PROBE_AGENT + " optout")  # a tracked visitor first

    answered = post_page(cloud, page, agent=BROWSER + " optout", headers={header: "1"})

    assert answered.json()["views"] == 2
    assert answered.json()["visitors"] == 1


@pytest.mark.parametrize(
    ("method", "path", "status", "error"),
    [
        ("POST", "/pages/%2Fa%23b", 400, NO_QUERY),
        ("POST", "/pages/%2Fa%00", 400, "Page id holds a non-printable character (U+0000)."),
        ("POST", "/pages/%2F" + "a" * 300, 400, "Page id is 301 bytes; the limit is 256."),
        ("GET", "/pages/%2Fe2e-never", 404, "No views recorded for page '/e2e-never'."),
        ("GET", "/pages?top=1000", 400, "top must be one whole number from 1 to 100."),
        ("DELETE", "/pages/%2Fe2e-popular", 405, "Method not allowed."),
        ("GET", "/stats/nothing", 404, "Not found."),
    ],
)  # fmt: skip
def test_bad_requests_get_a_message_and_change_nothing(
    cloud: RunningCloud, method: str, path: str, status: int, error: str
) -> None:
    before = table_items(cloud)

    response = requests.request(
        method, cloud.api_url + path, headers={"User-Agent": BROWSER}, timeout=10
    )

    assert response.status_code == status
    assert response.json() == {"error": error}
    assert table_items(cloud) == before


def test_oversized_headers_are_431(cloud: RunningCloud) -> None:
    response = post_page(cloud, "%2Fe2e-big", headers={"X-Padding": "a" * 9000})

    assert response.status_code == 431
    assert response.json() == {"error": "Request headers are larger than 8192 bytes."}


def test_no_ip_or_user_agent_is_stored_or_logged(cloud: RunningCloud) -> None:
    seen = len(cloud.later_output)

    post_page(cloud, "%2Fe2e-privacy", agent=PROBE_AGENT)

    deadline = time.monotonic() + 10
    while len(cloud.later_output) == seen and time.monotonic() < deadline:
        time.sleep(0.05)
    items = table_items(cloud)
    kinds = {item["ID"]["S"].split("#")[1] for item in items if "#" in item["ID"]["S"]}
    # The scan sees the visitor's items: its client item, the page and its live day, the
    # site's day, and the day's unlisted pages (hashes of page ids: a glob admits this one);
    # and the events' days and names, when a test counted events before.
    assert {"page", "salt", "client", "site", "unlisted"} <= kinds
    assert kinds <= {"page", "salt", "client", "site", "unlisted", "event", "events"}
    for text in (json.dumps(items, default=repr), "".join(cloud.later_output)):
        assert "E2EPageProbe" not in text
        assert "127.0.0.1" not in text


def test_through_the_sites_api_no_cookie_address_agent_or_secret_is_stored_or_logged(
    cloud: RunningCloud,
) -> None:
    """The site's /api/ forwards every viewer header but Host, cookies too: the function
    reads what it needs and keeps none of it."""
    seen = len(cloud.later_output)
    distribution = emulator_client("cloudfront", cloud.emulator_endpoint).list_distributions()
    (summary,) = distribution["DistributionList"]["Items"]
    (api,) = [o for o in summary["Origins"]["Items"] if o["Id"] == "counter-api"]
    secret = api["CustomHeaders"]["Items"][0]["HeaderValue"]

    response = client_at("127.0.0.4").post(
        f"{cloud.site_url}/api/pages/%2Fe2e-privacy-site",
        headers={
            "Origin": cloud.site_url,
            "User-Agent": PROBE_AGENT,
            "Cookie": "session=E2ECookieProbe",
            "CloudFront-Viewer-Country": "NZ",
        },
        timeout=10,
    )
    deadline = time.monotonic() + 10
    while len(cloud.later_output) == seen and time.monotonic() < deadline:
        time.sleep(0.05)
    items = json.dumps(table_items(cloud), default=repr)

    assert response.json()["views"] == 1
    assert "a:c:nz" in items
    for text in (items, "".join(cloud.later_output[seen:])):
        for secret_or_private in ("E2ECookieProbe", "E2EPageProbe", "127.0.0.4", secret):
            assert secret_or_private not in text


def test_client_items_expire_through_the_daily_tables_ttl(cloud: RunningCloud) -> None:
    post_page(cloud, "%2Fe2e-ttl")
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    daily = schema.daily_table_name(cloud.table_name)

    ttl = client.describe_time_to_live(TableName=daily)["TimeToLiveDescription"]
    recovery = client.describe_continuous_backups(TableName=daily)["ContinuousBackupsDescription"]

    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")
    status = recovery["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
    assert status == "DISABLED"
    clients = [item for item in table_items(cloud) if "#client#" in item["ID"]["S"]]
    assert clients
    assert all(0 < int(c["expires_at"]["N"]) - time.time() <= 86_400 for c in clients)


def test_a_hundred_views_from_one_address_add_the_limit_and_one_visitor(
    cloud: RunningCloud,
) -> None:
    client = client_at("127.0.0.5")
    agents = [f"{BROWSER} Build/{number}" for number in range(100)]

    answers = [post_page(cloud, "%2Fe2e-limited", agent, client=client) for agent in agents]

    assert {answer.status_code for answer in answers} == {200}
    assert answers[-1].json() == {"page": "/e2e-limited", "views": 30, "visitors": 1}


def test_thirty_unknown_pages_create_no_item(cloud: RunningCloud) -> None:
    post_page(cloud, "%2Fe2e-warm")
    before = table_items(cloud)

    answers = [post_page(cloud, f"%2Fjunk-{uuid.uuid4().hex}") for _ in range(30)]

    assert {answer.status_code for answer in answers} == {404}
    assert "is not one of this site's pages" in answers[0].json()["error"]
    assert table_items(cloud) == before
