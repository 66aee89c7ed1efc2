"""End to end over real HTTP on loopback: the packaged handler, moto, the local HTTP API."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from resume.config import AppConfig
from resume.route_throttles import route_throttles
from tests.support.cloud import RunningCloud
from tests.support.events import BROWSER

# What the local cloud deploys for `ANY /` (the default ceiling, split route by route).
SITE_ROUTE = route_throttles(AppConfig.throttle_burst_limit, AppConfig.throttle_rate_limit_rps)[
    "ANY /"
]

pytestmark = pytest.mark.e2e
ALLOWED = "http://localhost:4321"
# A browser's User-Agent: requests' own ("python-requests/…") is a bot by the counting rules.
visitor = requests.Session()
visitor.headers["User-Agent"] = BROWSER
# A browser on the site sends its Origin with every POST; without one nothing counts.
visitor.headers["Origin"] = ALLOWED


def test_a_client_library_is_a_bot_answered_with_the_count_uncounted(
    cloud: RunningCloud, stored_visitors: Callable[[], int]
) -> None:
    before = stored_visitors()

    response = requests.post(cloud.api_url + "/", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"visitors": before}
    assert stored_visitors() == before


def test_two_posts_return_consecutive_counts(cloud: RunningCloud) -> None:
    first = visitor.post(cloud.api_url + "/", timeout=10)
    second = visitor.post(cloud.api_url + "/", timeout=10)

    assert first.status_code == second.status_code == 200
    assert first.headers["Content-Type"] == "application/json"
    assert second.json()["visitors"] == first.json()["visitors"] + 1


def test_preflight_from_every_deployed_origin_is_allowed(
    cloud: RunningCloud, stored_visitors: Callable[[], int], deployed_origins: list[str]
) -> None:
    before = stored_visitors()

    responses = {
        origin: visitor.options(cloud.api_url + "/", headers={"Origin": origin}, timeout=10)
        for origin in deployed_origins
    }

    assert ALLOWED in deployed_origins
    assert cloud.site_url in deployed_origins
    for origin, response in responses.items():
        assert response.status_code == 204
        assert response.content == b""
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert response.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert stored_visitors() == before


def test_preflight_from_another_origin_gets_no_cors_headers(
    cloud: RunningCloud, deployed_origins: list[str]
) -> None:
    response = visitor.options(
        cloud.api_url + "/", headers={"Origin": "https://evil.example"}, timeout=10
    )

    assert "https://evil.example" not in deployed_origins
    assert response.status_code == 204
    assert "Access-Control-Allow-Origin" not in response.headers


def test_get_reads_the_total_and_does_not_count(
    cloud: RunningCloud, stored_visitors: Callable[[], int]
) -> None:
    before = stored_visitors()

    response = visitor.get(cloud.api_url + "/", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"visitors": before}
    assert stored_visitors() == before


def test_other_methods_are_405_and_do_not_count(
    cloud: RunningCloud, stored_visitors: Callable[[], int]
) -> None:
    before = stored_visitors()

    response = visitor.delete(cloud.api_url + "/", timeout=10)

    assert response.status_code == 405
    assert response.json() == {"error": "Method not allowed."}
    assert response.headers["Allow"] == "GET, POST, OPTIONS"
    assert stored_visitors() == before


def test_oversized_body_is_413_and_does_not_count(
    cloud: RunningCloud, stored_visitors: Callable[[], int]
) -> None:
    before = stored_visitors()

    response = visitor.post(cloud.api_url + "/", data="x" * 5000, timeout=10)

    assert response.status_code == 413
    assert stored_visitors() == before


def test_concurrent_posts_lose_no_update(
    cloud: RunningCloud, stored_visitors: Callable[[], int]
) -> None:
    before = stored_visitors()

    def post(_: int) -> requests.Response:
        return visitor.post(cloud.api_url + "/", timeout=30)

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(post, range(200)))

    # The `/` route's own throttle (its share of the stage's burst 100 and 50 a second) turns
    # some away, uncounted, as AWS does.
    assert {answer.status_code for answer in answers} <= {200, 429}
    counts = sorted(int(answer.json()["visitors"]) for answer in answers if answer.ok)
    assert len(counts) >= SITE_ROUTE.burst
    assert counts == list(range(before + 1, before + 1 + len(counts)))
    assert stored_visitors() == before + len(counts)
    time.sleep(2)  # the bucket refills (burst / rate) for the tests after this one


def test_site_page_is_served_from_the_deployed_bucket(cloud: RunningCloud) -> None:
    response = requests.get(cloud.site_url + "/", timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert 'data-counter="views"' in response.text
    assert '<script src="/counter.js" data-outbound="true"' in response.text


def test_site_assets_have_their_content_types(cloud: RunningCloud) -> None:
    script = requests.get(cloud.site_url + "/counter.js", timeout=10)
    styles = requests.get(cloud.site_url + "/styles.css", timeout=10)

    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert styles.headers["Content-Type"] == "text/css; charset=utf-8"
    assert script.headers["Cache-Control"] == "public, max-age=300"


def test_site_config_points_the_page_at_its_own_api_path(cloud: RunningCloud) -> None:
    """The site's /api/ (the distribution's API behaviour), on AWS as on the local cloud."""
    config = requests.get(cloud.site_url + "/config.json", timeout=10).json()

    assert config == {"apiUrl": "/api"}


def test_unknown_page_gets_the_404_page(cloud: RunningCloud) -> None:
    response = requests.get(cloud.site_url + "/no/such/page", timeout=10)

    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


@pytest.mark.parametrize("origin", ["https://evil.example", "null", None])
def test_a_post_from_a_foreign_or_no_origin_is_answered_and_counts_nothing(
    cloud: RunningCloud, stored_visitors: Callable[[], int], origin: str | None
) -> None:
    """Any page on the web could make its visitors' browsers POST here; only the site counts."""
    before = stored_visitors()
    headers = {"User-Agent": BROWSER, **({"Origin": origin} if origin else {})}

    response = requests.post(cloud.api_url + "/", headers=headers, timeout=10)

    assert response.status_code == 200
    assert response.json() == {"visitors": before}
    assert stored_visitors() == before


def test_page_origin_is_allowed_by_the_api(cloud: RunningCloud) -> None:
    response = visitor.post(cloud.api_url + "/", headers={"Origin": cloud.site_url}, timeout=10)

    assert response.headers["Access-Control-Allow-Origin"] == cloud.site_url


def test_each_request_is_logged_without_ip_or_user_agent(cloud: RunningCloud) -> None:
    agent = "Mozilla/5.0 (E2E Privacy Probe 7.7)"
    seen = len(cloud.later_output)

    visitor.post(cloud.api_url + "/", headers={"User-Agent": agent}, timeout=10)

    deadline = time.monotonic() + 10
    while len(cloud.later_output) == seen and time.monotonic() < deadline:
        time.sleep(0.05)
    records = [json.loads(line) for line in cloud.later_output[seen:] if line.startswith("{")]
    # A routine outcome's compact line: its metrics and outcome, no route (telemetry).
    assert [r["outcome"] for r in records] == ["counted"]
    assert records[0]["CountedViews"] == 1
    text = "".join(cloud.later_output)
    assert "E2E Privacy Probe" not in text
    assert "127.0.0.1" not in text
