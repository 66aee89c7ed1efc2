"""Several sites in one deployment: checked in the config, named in the function's
environment, each with its known pages, and every grant held to the sites' own keys."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from resume.config import AppConfig, ConfigError
from tests.infra.test_ci_stack import allowed, ci_doc, role_statements
from tests.support.synth import Synthesized, only, resources, synth_app

SHOP = "shop https://shop.example https://www.shop.example /products/** /"
DOCS = "docs https://docs.example /**"


@pytest.fixture(scope="module")
def two_sites(function_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    config = AppConfig(
        function_zip=str(function_zip), github_repo="octo-org/site.example", sites=(SHOP, DOCS)
    )
    return synth_app(config, tmp_path_factory.mktemp("two-sites"))[1]


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


def test_the_functions_role_reads_and_writes_every_sites_keys_and_no_other(
    two_sites: Synthesized,
) -> None:
    documents = ci_doc(two_sites)["data"]["aws_iam_policy_document"]
    (grants,) = [d for k, d in documents.items() if k.startswith("roles_dev-function_")]
    held = [s["condition"] for s in grants["statement"] if s.get("condition")]

    assert held
    for condition in held:
        assert condition == [
            {
                "test": "ForAllValues:StringLike",
                "variable": "dynamodb:LeadingKeys",
                "values": ["blog", "blog#*", "shop", "shop#*", "docs", "docs#*"],
            }
        ]


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
