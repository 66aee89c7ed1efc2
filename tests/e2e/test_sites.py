"""Two sites deployed together, over HTTP on the local cloud: counts, tokens and stats apart."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from resume_tools.local_cloud.cloud import emulator_client, emulator_env
from resume_tools.local_cloud.loopback import client_at
from tests.support.cli import run_tool
from tests.support.cloud import E2E_OTHER_SITES, E2E_SHOP_ORIGIN, RunningCloud
from tests.support.events import BROWSER
from tests.support.stats import utc_today

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def shop_token(cloud: RunningCloud) -> str:
    """The second site's token, made as its owner makes it: `nox -s stats-token -- --site`."""
    env = {
        "RESUME_EMULATOR_ENDPOINT": cloud.emulator_endpoint,
        "RESUME_REGION": "eu-west-2",
        "RESUME_SITES": E2E_OTHER_SITES,
        **emulator_env(cloud.emulator_endpoint),
    }
    result = run_tool("stats_token", "--stage", "dev", "--site", "shop", env=env)
    assert result.returncode == 0, result.stderr
    found = re.search(r"^stats: \S+/stats/\?site=shop#token=(\S+)$", result.stdout, re.M)
    assert found, result.stdout
    return found[1]


def daily(cloud: RunningCloud, token: str, site: str = "") -> Any:
    params = {"from": utc_today(), "to": utc_today(), **({"site": site} if site else {})}
    return requests.get(
        f"{cloud.api_url}/stats/daily",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_two_sites_keep_their_counts_tokens_and_stats_apart(
    cloud: RunningCloud, shop_token: str
) -> None:
    shop_before = daily(cloud, shop_token, "shop").json()["days"][0]["views"]
    blog_before = daily(cloud, cloud.stats_token).json()["days"][0]["views"]

    for n in (1, 2):
        answer = client_at(f"127.0.0.8{n}").post(
            f"{cloud.api_url}/pages/%2Fproducts%2Fhat",
            headers={"Origin": E2E_SHOP_ORIGIN, "User-Agent": BROWSER},
            timeout=10,
        )
        assert answer.json() == {"page": "/products/hat", "views": n, "visitors": n}
    on_blog = requests.post(
        f"{cloud.api_url}/pages/%2Fproducts%2Fhat",
        headers={"Origin": cloud.site_url, "User-Agent": BROWSER},
        timeout=10,
    )

    assert on_blog.status_code == 404  # a page of the shop, not of the blog
    assert daily(cloud, shop_token, "shop").json()["days"][0]["views"] == shop_before + 2
    assert daily(cloud, cloud.stats_token).json()["days"][0]["views"] == blog_before
    # A token of one site is refused by the other, both ways.
    assert daily(cloud, cloud.stats_token, "shop").status_code == 401
    assert daily(cloud, shop_token).status_code == 401
    assert daily(cloud, shop_token, "blog").status_code == 401
    unknown = daily(cloud, shop_token, "nope")
    assert unknown.status_code == 401  # the first site's token is asked first
    assert daily(cloud, cloud.stats_token, "nope").json() == {
        "error": "This deployment counts no site 'nope'."
    }


def test_the_second_sites_items_are_under_its_own_id(cloud: RunningCloud) -> None:
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    ids = [
        item["ID"]["S"]
        for item in client.scan(TableName=cloud.table_name)["Items"]
        if item["ID"]["S"].startswith("shop")
    ]

    assert "shop#known-pages" in ids
    assert all(i == "shop" or i.startswith("shop#") for i in ids)
