"""The owner's stats over HTTP on the local cloud: history, referrers, CSV, the token."""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any
from urllib.parse import quote

import pytest
import requests

from resume_tools.local_cloud.cloud import emulator_client, emulator_env
from resume_tools.local_cloud.loopback import client_at
from tests.support.cli import run_tool
from tests.support.cloud import RunningCloud
from tests.support.events import BROWSER
from tests.support.stats import store_token, utc_today
from tests.support.tables import all_items

pytestmark = pytest.mark.e2e
HN = "https://news.ycombinator.com/item?id=1"
STATS_ROUTES = ("daily", "pages", "referrers", "export.csv")


def stats(cloud: RunningCloud, route: str, token: str | None, **params: str) -> Any:
    headers = {"Origin": cloud.site_url, "User-Agent": BROWSER}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.get(
        f"{cloud.api_url}/stats/{route}", params=params, headers=headers, timeout=10
    )


def view(cloud: RunningCloud, page: str, client: requests.Session, referer: str) -> None:
    response = client.post(
        f"{cloud.api_url}/pages/{quote(page, safe='')}",
        headers={"Origin": cloud.site_url, "User-Agent": BROWSER, "Referer": referer},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_views_from_a_referrer_appear_in_the_days_page_and_site_stats_and_the_csv(
    cloud: RunningCloud,
) -> None:
    page = f"/e2e-stats-{uuid.uuid4().hex[:8]}"
    token = cloud.stats_token
    day = utc_today()
    site_before = stats(cloud, "daily", token, **{"from": day, "to": day}).json()["days"][0]
    referrers_before = {
        row["source"]: row["views"]
        for row in stats(cloud, "referrers", token, **{"from": day, "to": day}).json()["referrers"]
    }

    for address in ("127.0.0.61", "127.0.0.62"):
        client = client_at(address)
        view(cloud, page, client, HN)
        view(cloud, page, client, HN)
    view(cloud, page, client_at("127.0.0.63"), "https://www.google.com/search?q=secret")

    daily = stats(cloud, "daily", token, **{"from": day, "to": day, "page": page})
    site = stats(cloud, "daily", token, **{"from": day, "to": day}).json()["days"][0]
    referrers = stats(cloud, "referrers", token, **{"from": day, "to": day, "page": page})
    site_referrers = stats(cloud, "referrers", token, **{"from": day, "to": day}).json()
    exported = stats(cloud, "export.csv", token, **{"from": day, "to": day})
    assert daily.status_code == 200
    assert daily.json() == {
        "page": page,
        "from": day,
        "to": day,
        "days": [{"date": day, "views": 5, "visitors": 3}],
        "agents": {  # BROWSER: Firefox on Linux
            "browsers": [{"name": "firefox", "views": 5}],
            "systems": [{"name": "linux", "views": 5}],
            "devices": [{"name": "desktop", "views": 5}],
            "countries": [{"name": "unknown", "views": 5}],
        },
        "events": [],
    }
    assert site["views"] - site_before["views"] == 5
    assert referrers.json()["referrers"] == [
        {"source": "news.ycombinator.com", "views": 4},
        {"source": "www.google.com", "views": 1},
    ]
    site_sources = {row["source"]: row["views"] for row in site_referrers["referrers"]}
    hn_before = referrers_before.get("news.ycombinator.com", 0)
    assert site_sources["news.ycombinator.com"] - hn_before == 4
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert exported.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {"date": day, "page": page, "views": "5", "visitors": "3"} in rows
    assert list(rows[0]) == ["date", "page", "views", "visitors"]


def test_the_history_keeps_no_url_path_address_or_user_agent(cloud: RunningCloud) -> None:
    page = f"/e2e-stats-privacy-{uuid.uuid4().hex[:8]}"
    view(cloud, page, client_at("127.0.0.64"), "https://mail.example.org/inbox/secret-thread")

    stored = str(all_items(emulator_client("dynamodb", cloud.emulator_endpoint), cloud.table_name))

    assert "mail.example.org" in stored
    assert "secret-thread" not in stored
    assert "127.0.0.64" not in stored
    assert BROWSER not in stored


@pytest.mark.parametrize("route", STATS_ROUTES)
@pytest.mark.parametrize("token", [None, "not-the-token"])
def test_without_the_token_every_stats_route_answers_401_and_changes_nothing(
    cloud: RunningCloud, route: str, token: str | None
) -> None:
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    before = all_items(client, cloud.table_name)

    response = stats(cloud, route, token, **{"from": "2026-01-01", "to": "bad"})

    assert response.status_code == 401
    assert response.json() == {
        "error": "Stats need a valid token: send Authorization: Bearer <token> "
        "(`nox -s stats-token` makes one)."
    }
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="stats"'
    # The browser may read the answer: the page can say the token was wrong.
    assert response.headers["Access-Control-Allow-Origin"] == cloud.site_url
    assert all_items(client, cloud.table_name) == before


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"from": "2026-02-30"}, "from must be a date as YYYY-MM-DD, got '2026-02-30'."),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "from (2026-11-02) is after to (2026-11-01)."),
        (
            {"from": "2020-01-01", "to": "2026-01-01"},
            "The range from 2020-01-01 to 2026-01-01 is longer than 400 days.",
        ),
        ({"days": "7"}, "Unknown query parameter 'days': this route takes from, to, page, site."),
    ],
)
def test_wrong_dates_answer_400_saying_which(
    cloud: RunningCloud, params: dict[str, str], error: str
) -> None:
    response = stats(cloud, "daily", cloud.stats_token, **params)

    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_the_preflight_of_the_stats_page_allows_its_token_header(cloud: RunningCloud) -> None:
    response = requests.options(
        f"{cloud.api_url}/stats/daily",
        headers={
            "Origin": cloud.site_url,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
        timeout=10,
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Headers"] == "Authorization"
    assert response.headers["Access-Control-Allow-Origin"] == cloud.site_url


def test_the_seeded_history_fills_the_60_days_before_today(cloud: RunningCloud) -> None:
    token = cloud.stats_token

    days = stats(cloud, "daily", token, **{"from": "2020-01-01"})
    recent = stats(cloud, "daily", token).json()["days"]  # the last 30 days
    sources = stats(cloud, "referrers", token).json()["referrers"]
    pages = stats(cloud, "pages", token).json()["pages"]

    assert days.status_code == 400  # more than 400 days
    assert len(recent) == 30
    assert all(day["views"] > day["visitors"] > 0 for day in recent[:-1])  # today: the tests'
    assert {"direct", "news.ycombinator.com", "www.google.com"} <= {s["source"] for s in sources}
    assert {"/", "/posts/hello"} <= {page["page"] for page in pages}


def test_stats_token_makes_a_new_token_that_works_and_retires_the_old_one(
    cloud: RunningCloud,
) -> None:
    old = cloud.stats_token
    env = {
        "RESUME_EMULATOR_ENDPOINT": cloud.emulator_endpoint,
        "RESUME_REGION": "eu-west-2",
        **emulator_env(cloud.emulator_endpoint),
    }

    try:
        result = run_tool("stats_token", "--stage", "dev", env=env)
        new = dict(re.findall(r"^(token|stats): (\S+)", result.stdout, re.MULTILINE))["token"]

        assert result.returncode == 0, result.stderr
        assert "the old one no longer works" in result.stdout
        assert re.search(rf"^stats: \S+/stats/#token={re.escape(new)}$", result.stdout, re.M)
        assert stats(cloud, "daily", new).status_code == 200
        assert stats(cloud, "daily", old).status_code == 401
    finally:
        # The session's other tests use the token the dev command printed: put it back.
        store_token(emulator_client("dynamodb", cloud.emulator_endpoint), cloud.table_name, old)
    assert stats(cloud, "daily", old).status_code == 200


def test_stats_token_before_a_deploy_says_to_deploy_first(cloud: RunningCloud) -> None:
    env = {
        "RESUME_EMULATOR_ENDPOINT": cloud.emulator_endpoint,
        "RESUME_TABLE_NAME": "never-deployed",
        **emulator_env(cloud.emulator_endpoint),
    }

    result = run_tool("stats_token", "--stage", "dev", env=env)

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "stats-token: error: table never-deployed does not exist: deploy the stage first"
    )
    assert "token:" not in result.stdout


FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:131.0) Gecko/131.0 Firefox/131.0"


def test_a_views_browser_system_and_device_are_counted_as_names_and_the_agent_kept_nowhere(
    cloud: RunningCloud,
) -> None:
    page = f"/e2e-agent-{uuid.uuid4().hex[:8]}"
    day = utc_today()

    response = client_at("127.0.0.71").post(
        f"{cloud.api_url}/pages/{quote(page, safe='')}",
        headers={"Origin": cloud.site_url, "User-Agent": FIREFOX_ANDROID},
        timeout=10,
    )
    agents = stats(cloud, "daily", cloud.stats_token, **{"from": day, "to": day, "page": page})
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    tables = client.list_tables()["TableNames"]
    stored = repr([client.scan(TableName=name)["Items"] for name in tables])  # every table

    assert response.status_code == 200, response.text
    assert agents.json()["agents"] == {
        "browsers": [{"name": "firefox", "views": 1}],
        "systems": [{"name": "android", "views": 1}],
        "devices": [{"name": "mobile", "views": 1}],
        "countries": [{"name": "unknown", "views": 1}],  # straight to the API
    }
    for part in ("Firefox/131", "rv:131.0", "Gecko", "127.0.0.71"):
        assert part not in stored


def test_a_view_through_the_sites_api_has_cloudfronts_country_and_a_forged_one_does_not(
    cloud: RunningCloud,
) -> None:
    """The site's own /api/ (the distribution's API behaviour) brings the viewer's country;
    the same header sent straight to the API, even with a made-up secret, is not believed."""
    page = f"/e2e-country-{uuid.uuid4().hex[:8]}"
    path = quote(page, safe="")
    day = utc_today()
    viewer = {"Origin": cloud.site_url, "User-Agent": FIREFOX_ANDROID}

    through_site = client_at("127.0.0.72").post(
        f"{cloud.site_url}/api/pages/{path}",
        headers={**viewer, "CloudFront-Viewer-Country": "DE"},
        timeout=10,
    )
    forged = client_at("127.0.0.73").post(
        f"{cloud.api_url}/pages/{path}",
        headers={**viewer, "CloudFront-Viewer-Country": "FR", "X-Origin-Verify": "x" * 36},
        timeout=10,
    )
    agents = stats(cloud, "daily", cloud.stats_token, **{"from": day, "to": day, "page": page})
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    stored = repr([client.scan(TableName=t)["Items"] for t in client.list_tables()["TableNames"]])

    assert through_site.status_code == 200, through_site.text
    assert through_site.json() == {"page": page, "views": 1, "visitors": 1}
    # Two viewers: the site's /api/ passes on its viewer's address, not its own.
    assert forged.json() == {"page": page, "views": 2, "visitors": 2}
    assert agents.json()["agents"] == {
        "browsers": [{"name": "firefox", "views": 2}],
        "systems": [{"name": "android", "views": 2}],
        "devices": [{"name": "mobile", "views": 2}],
        "countries": [{"name": "de", "views": 1}, {"name": "unknown", "views": 1}],
    }
    assert "a:c:fr" not in stored
    for part in ("Firefox/131", "127.0.0.72", "127.0.0.73"):
        assert part not in stored


def test_the_sites_api_answers_as_the_api_does_but_its_404s_are_the_sites_page(
    cloud: RunningCloud,
) -> None:
    """CloudFront's custom error responses are the distribution's: an API 404 through the
    site's /api/ keeps its status and carries the site's 404 page (counter.js reads the
    status only)."""
    top = requests.get(f"{cloud.site_url}/api/pages?top=1", timeout=10)
    missing = requests.get(f"{cloud.site_url}/api/pages/%2Fnever-viewed-e2e", timeout=10)
    direct = requests.get(f"{cloud.api_url}/pages/%2Fnever-viewed-e2e", timeout=10)

    assert top.status_code == 200
    assert "pages" in top.json()
    assert (missing.status_code, direct.status_code) == (404, 404)
    assert missing.headers["Content-Type"].startswith("text/html")
    assert direct.json() == {"error": "No views recorded for page '/never-viewed-e2e'."}
