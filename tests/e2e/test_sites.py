"""Two sites deployed together, over HTTP on the local cloud: counts, tokens and stats apart."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

import pytest
import requests

from resume.config import EMULATOR_ACCOUNT_ID
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


def test_the_second_site_is_served_by_a_session_of_the_sites_role(cloud: RunningCloud) -> None:
    """Terraform made the sites role as the synth wrote it, and the function was told it.

    The counts above already went through moto's STS (site_sessions.py); moto evaluates no
    IAM, so what AWS would allow is proven on the statements (tests/function,
    tests/infra). Here: the policy Terraform rendered names IAM's own variable, and the
    trust its account.
    """
    iam = emulator_client("iam", cloud.emulator_endpoint)
    name = f"{cloud.table_name.removesuffix('-visitors')}-counter-sites"
    role = iam.get_role(RoleName=name)["Role"]
    function = emulator_client("lambda", cloud.emulator_endpoint).get_function_configuration(
        FunctionName=f"{cloud.table_name.removesuffix('-visitors')}-counter"
    )
    (policy_name,) = iam.list_role_policies(RoleName=name)["PolicyNames"]
    document = iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]
    document = document if isinstance(document, dict) else json.loads(unquote(document))

    assert function["Environment"]["Variables"]["SITES_ROLE_ARN"] == role["Arn"]
    keys = {
        json.dumps(s["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"])
        for s in document["Statement"]
    }
    assert keys == {json.dumps(["${aws:PrincipalTag/site}", "${aws:PrincipalTag/site}#*"])}
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": f"arn:aws:iam::{EMULATOR_ACCOUNT_ID}:root"}
    assert trust["Condition"]["ArnEquals"] == {"aws:PrincipalArn": function["Role"]}
    assert trust["Condition"]["StringEquals"] == {"aws:RequestTag/site": ["shop"]}
