"""Several sites in one deployment: checked in the config, named in the function's
environment, each with its known pages, and every grant held to the sites' own keys."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest

from resume.config import AppConfig, ConfigError
from tests.infra.conftest import DOCS, SHOP
from tests.infra.test_ci_stack import allowed, ci_doc, role_statements
from tests.support.synth import Synthesized, only, resources


def test_the_function_knows_each_other_site_and_its_origins(two_sites: Synthesized) -> None:
    variables = only(two_sites["backend"], "aws_lambda_function")["environment"]["variables"]

    assert variables["OTHER_SITES"] == (
        "shop=https://shop.example|https://www.shop.example;docs=https://docs.example"
    )
    assert variables["ALLOWED_ORIGINS"] == "http://localhost:4321"


def test_each_other_site_has_its_known_pages_item(two_sites: Synthesized) -> None:
    items = {
        json.loads(item["item"])["ID"]["S"]: json.loads(item["item"])
        for item in resources(two_sites["backend"], "aws_dynamodb_table_item")
    }

    assert set(items) == {"blog#known-pages", "shop#known-pages", "docs#known-pages"}
    assert items["shop#known-pages"]["patterns"] == {"S": "/products/**\n/"}
    assert items["docs#known-pages"]["patterns"] == {"S": "/**"}  # named, never a default
    assert items["shop#known-pages"]["pages"] == {"S": ""}  # hosted elsewhere


FIRST_SITES_KEYS = [
    {
        "test": "ForAllValues:StringLike",
        "variable": "dynamodb:LeadingKeys",
        "values": ["blog", "blog#*"],
    }
]
# IAM's ${aws:PrincipalTag/site}, as Terraform's policy document spells it.
SESSIONS_KEYS = [
    {
        "test": "ForAllValues:StringLike",
        "variable": "dynamodb:LeadingKeys",
        "values": ["&{aws:PrincipalTag/site}", "&{aws:PrincipalTag/site}#*"],
    }
]
SESSION_TAGS = [
    {"test": "StringEquals", "variable": "aws:RequestTag/site", "values": ["shop", "docs"]},
    {"test": "ForAllValues:StringEquals", "variable": "aws:TagKeys", "values": ["site"]},
]
ITEM_STATEMENTS = [
    ("CountVisits", ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]),
    (
        "DailyItems",
        ["dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    ),
    ("HistoryItems", ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]),
    ("QueryPagesByDay", ["dynamodb:Query"]),
]


def _documents(synthesized: Synthesized, stack: str, prefix: str) -> dict[str, Any]:
    documents = synthesized[stack]["data"]["aws_iam_policy_document"]
    return {
        k[len(prefix) :].rsplit("_", 1)[0]: d for k, d in documents.items() if k.startswith(prefix)
    }


@pytest.fixture(params=["ci", "laptop"])
def role_documents(
    request: pytest.FixtureRequest, two_sites: Synthesized, two_sites_laptop: Synthesized
) -> dict[str, Any]:
    """The roles' policy documents by construct, as the CI stack or a laptop's backend has them."""
    if request.param == "ci":
        return _documents(two_sites, "ci", "roles_dev-function_")
    return _documents(two_sites_laptop, "backend", "function_")


def test_the_functions_role_holds_the_first_sites_keys_and_asks_for_the_others_sessions(
    role_documents: dict[str, Any],
) -> None:
    """Whole statements: its own items are blog's; shop's and docs' are sessions' only."""
    statements = role_documents["permissions"]["statement"]
    by_sid = {s["sid"]: s for s in statements}

    assert [(s["sid"], s["actions"], s["condition"]) for s in statements[:4]] == [
        (sid, actions, FIRST_SITES_KEYS) for sid, actions in ITEM_STATEMENTS
    ]
    sessions = by_sid["AssumeSiteSessions"]
    assert sessions == {
        "sid": "AssumeSiteSessions",
        "actions": ["sts:AssumeRole", "sts:TagSession"],
        "condition": SESSION_TAGS,
        "resources": [sessions["resources"][0]],
    }
    assert re.fullmatch(r"\$\{aws_iam_role\.\S+sites-role_\w+\.arn\}", sessions["resources"][0])
    assert not [
        s
        for s in statements
        if s["sid"] not in {*dict(ITEM_STATEMENTS), "AssumeSiteSessions", "WriteOwnLogs"}
    ]


def test_the_sites_role_reads_and_writes_its_sessions_site_only(
    role_documents: dict[str, Any],
) -> None:
    statements = role_documents["sites-permissions"]["statement"]

    assert [(s["sid"], s["actions"], s["condition"]) for s in statements] == [
        (sid, actions, SESSIONS_KEYS) for sid, actions in ITEM_STATEMENTS
    ]
    assert [len(s["resources"]) for s in statements] == [1, 1, 1, 2]  # the two indexes


def test_only_the_functions_role_may_take_a_session_and_only_as_an_other_site(
    two_sites_laptop: Synthesized,
) -> None:
    roles = {r["name"]: r for r in resources(two_sites_laptop["backend"], "aws_iam_role")}
    sites = roles["cloud-resume-dev-counter-sites"]
    function = "${aws_iam_role.function_role_2E3FB14F.arn}"
    element = 'element(split(":", aws_iam_role.function_role_2E3FB14F.arn), {})'

    account_root = f'${{format("arn:%s:iam::%s:root", {element.format(1)}, {element.format(4)})}}'
    # Terraform fills the expression in before the text is JSON; here it stands for itself.
    trust = sites["assume_role_policy"].replace(account_root, "ACCOUNT-ROOT")

    assert sites["max_session_duration"] == 3600  # role chaining's most
    assert json.loads(trust) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                # The account, held to the role's ARN: a re-made role keeps the trust.
                "Principal": {"AWS": "ACCOUNT-ROOT"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": function},
                    "StringEquals": {"aws:RequestTag/site": ["shop", "docs"]},
                    "ForAllValues:StringEquals": {"aws:TagKeys": ["site"]},
                },
            }
        ],
    }


def test_the_ci_stack_makes_the_sites_role_under_the_stages_boundary(
    two_sites: Synthesized,
) -> None:
    roles = {r["name"]: r for r in resources(ci_doc(two_sites), "aws_iam_role")}
    boundary = roles["cloud-resume-dev-counter-role"]["permissions_boundary"]

    assert roles["cloud-resume-dev-counter-sites"]["permissions_boundary"] == boundary
    (document,) = [
        json.loads(p["policy"])
        for p in resources(ci_doc(two_sites), "aws_iam_policy")
        if p["name"] == "cloud-resume-dev-boundary"
    ]
    (sessions,) = [s for s in document["Statement"] if s["Sid"] == "AssumeSiteSessions"]
    assert sessions == {
        "Sid": "AssumeSiteSessions",
        "Effect": "Allow",
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Resource": "arn:${data.aws_partition.ci-partition.partition}:iam::"
        "${data.aws_caller_identity.ci-account.account_id}:role/cloud-resume-dev-counter-sites",
        "Condition": {
            "StringEquals": {"aws:RequestTag/site": ["shop", "docs"]},
            "ForAllValues:StringEquals": {"aws:TagKeys": ["site"]},
        },
    }
    # Every site's keys stay in the boundary: it caps both roles.
    (count,) = [s for s in document["Statement"] if s["Sid"] == "CountVisits"]
    assert count["Condition"] == {
        "ForAllValues:StringLike": {
            "dynamodb:LeadingKeys": ["blog", "blog#*", "shop", "shop#*", "docs", "docs#*"]
        }
    }


@pytest.mark.parametrize("mode", ["ci", "laptop"])
def test_the_function_is_told_the_sites_role_and_the_daily_table_lets_both_roles_in(
    two_sites: Synthesized, two_sites_laptop: Synthesized, mode: str
) -> None:
    backend = (two_sites if mode == "ci" else two_sites_laptop)["backend"]
    variables = only(backend, "aws_lambda_function")["environment"]["variables"]
    role = only(backend, "aws_lambda_function")["role"]
    policy = json.loads(only(backend, "aws_dynamodb_resource_policy")["policy"])

    sites_role = variables["SITES_ROLE_ARN"]
    assert sites_role.endswith(":role/cloud-resume-dev-counter-sites") or re.fullmatch(
        r"\$\{aws_iam_role\.function_sites-role_\w+\.arn\}", sites_role
    )
    assert policy["Statement"][0]["Condition"] == {
        "ArnNotEquals": {"aws:PrincipalArn": [role, sites_role]}
    }


def test_the_deploy_writes_each_sites_known_pages_item_and_no_other_item(
    two_sites: Synthesized,
) -> None:
    keys: list[Any] = []
    for statement in allowed(role_statements(two_sites, "cloud-resume-ci-deploy-dev")):
        condition = statement.get("Condition", {}).get("ForAllValues:StringEquals", {})
        if "dynamodb:LeadingKeys" in condition:
            keys.append(condition["dynamodb:LeadingKeys"])

    assert keys
    assert all(k == ["blog#known-pages", "shop#known-pages", "docs#known-pages"] for k in keys)


@pytest.mark.parametrize(
    ("sites", "message"),
    [
        (("Shop https://shop.example /**",), "sites: 'Shop https://shop.example /**' must start"),
        (("shop",), "sites: shop: name at least one origin"),
        (("shop /products/**",), "sites: shop: name at least one origin"),
        (("shop https://shop.example",), "sites: shop: name its pages, as globs starting"),
        (("shop https://a;b.example /**",), "sites: 'https://a;b.example' is not an origin"),
        (("shop https://a|b.example /**",), "sites: 'https://a|b.example' is not an origin"),
        (("shop https://*.example /**",), "sites: 'https://*.example' is not an origin"),
        (("shop https://shop.example /" + "a" * 300,), "sites: shop: '/aaaa"),
        (("shop https://shop.example/x /**",), "sites: 'https://shop.example/x' is not an"),
        (("blog https://shop.example /**",), "sites: 'blog' is taken (the first site is 'blog')"),
        ((SHOP, "shop https://other.example /**"), "sites: 'shop' is taken"),
        ((SHOP, "more https://shop.example /**"), "sites: more: https://shop.example is 'shop'"),
        (("dev http://localhost:4321 /**",), "sites: dev: http://localhost:4321 is 'blog'"),
        (("shop https://shop.example /a/***",), "sites: shop: "),
        (tuple(f"s{n} https://s{n}.example /**" for n in range(11)), "sites: at most 10"),
    ],
)
def test_a_wrong_site_is_refused_saying_why(sites: tuple[str, ...], message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        dataclasses.replace(AppConfig(), sites=sites)

    assert str(refused.value).startswith(message)


def test_sites_come_from_the_environment_too() -> None:
    from resume.config import load_config

    config = load_config({"RESUME_SITES": f"{SHOP}, {DOCS}"})

    assert [site.site_id for site in config.other_sites] == ["shop", "docs"]
    assert config.site_ids == ("blog", "shop", "docs")


def test_an_origin_is_one_sites_however_it_is_written() -> None:
    """The function normalises origins: the config compares them as it will."""
    with pytest.raises(ConfigError, match=re.escape("https://shop.example is 'blog'")):
        dataclasses.replace(AppConfig(), allowed_origins=("https://Shop.example/",), sites=(SHOP,))


def test_an_ipv6_origin_keeps_its_brackets_for_the_function() -> None:
    config = dataclasses.replace(AppConfig(), sites=("lab http://[::1]:4321 /**",))

    assert config.other_sites[0].origins == ("http://[::1]:4321",)


def test_from_a_laptop_the_function_waits_for_every_grant_its_sites_need(
    two_sites_laptop: Synthesized,
) -> None:
    """Both roles' policies and the daily table's: a new site's first request is allowed."""
    backend = two_sites_laptop["backend"]
    waits = only(backend, "aws_lambda_function")["depends_on"]

    assert sorted(w.split(".")[0] for w in waits) == [
        "aws_cloudwatch_log_group",
        "aws_dynamodb_resource_policy",
        "aws_iam_role_policy",
        "aws_iam_role_policy",
    ]
    for wait in waits:
        kind, name = wait.split(".")
        assert name in backend["resource"][kind], wait
