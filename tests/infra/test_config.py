"""The typed config: defaults that deploy, overrides from file and environment, clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resume.config import AppConfig, ConfigError, load_config


def test_defaults_deploy_without_editing() -> None:
    config = load_config({"RESUME_ACCOUNT_ID": "111122223333"})

    assert (config.stage, config.region) == ("dev", "eu-west-2")
    assert config.resolved_table_name == "cloud-resume-dev-visitors"
    assert config.resolved_state_bucket == "cloud-resume-dev-tfstate-111122223333"


def test_only_the_dev_stage_allows_the_local_dev_server_unless_told() -> None:
    dev = load_config({"RESUME_ACCOUNT_ID": "111122223333"})
    prod = load_config({"RESUME_STAGE": "prod"})
    told = load_config({"RESUME_STAGE": "prod", "RESUME_ALLOWED_ORIGINS": "http://localhost:4321"})

    assert dev.origins == ("http://localhost:4321",)
    assert prod.origins == ()
    assert told.origins == ("http://localhost:4321",)


def test_environment_overrides_every_kind_of_value() -> None:
    config = load_config(
        {
            "RESUME_STAGE": "prod",
            "RESUME_REGION": "us-east-1",
            "RESUME_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            "RESUME_THROTTLE_RATE_LIMIT_RPS": "20.5",
            "RESUME_LAMBDA_MEMORY_MB": "512",
            "RESUME_TAGS": "owner=me,cost-centre=blog",
            "RESUME_STATE_BUCKET": "my-state-bucket",
        }
    )

    assert config.stage == "prod"
    assert config.allowed_origins == ("https://a.example", "https://b.example")
    assert config.throttle_rate_limit_rps == 20.5
    assert config.lambda_memory_mb == 512
    assert config.all_tags["owner"] == "me"
    assert config.resolved_state_bucket == "my-state-bucket"


def test_config_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    file = tmp_path / "resume.toml"
    file.write_text('stage = "staging"\nallowed_origins = ["https://me.example"]\n')

    config = load_config({"RESUME_CONFIG_FILE": str(file), "RESUME_STAGE": "prod"})

    assert config.stage == "prod"
    assert config.allowed_origins == ("https://me.example",)


BAD = [
    ({"RESUME_STAGE": "qa"}, "stage: 'qa' is unknown; use one of dev, staging, prod"),
    ({"RESUME_REGION": "mars-north-1"}, "region: 'mars-north-1' is not an AWS region"),
    ({"RESUME_ALLOWED_ORIGINS": "example.com"}, "allowed_origins: 'example.com' is not an origin"),
    ({"RESUME_LAMBDA_MEMORY_MB": "lots"}, "lambda_memory_mb: 'lots' is not a number"),
    ({"RESUME_LAMBDA_MEMORY_MB": "64"}, "lambda_memory_mb: 64 is outside 128..10240"),
    ({"RESUME_LAMBDA_TIMEOUT_S": "60"}, "lambda_timeout_s: 60 is outside 1..29"),
    ({"RESUME_REQUEST_ALARM_PER_5MIN": "0"}, "request_alarm_per_5min: 0 is outside 1..10000000"),
    ({"RESUME_LOG_RETENTION_DAYS": "10"}, "log_retention_days: 10 is not one CloudWatch accepts"),
    ({"RESUME_STATS_ACCESS": "open"}, "stats_access: 'open' is not private or public"),
    ({"RESUME_STATS_RETENTION_DAYS": "0"}, "stats_retention_days: 0 is outside 1..3650"),
    ({"RESUME_DOMAIN_NAME": "example.com"}, "domain_name and hosted_zone_id: set both or neither"),
    ({"RESUME_THROTTLE_BURST_LIMIT": "3"}, "throttle_burst_limit: 3 is outside 4..5000"),
    ({"RESUME_TABLE_NAME": "x"}, "table_name: 'x' is not valid"),
    ({"RESUME_MAX_VIEWS_PER_DAY": "0"}, "max_views_per_day: 0 is outside 1..100000000"),
    ({"RESUME_PAGE_PATTERNS": "/a" + "b" * 254}, "page_patterns: '/abbbbbb"),
    (
        {"RESUME_PAGE_PATTERNS": ",".join(f"/p{n}/*" for n in range(101))},
        "page_patterns: at most 100",
    ),
    (
        {"RESUME_TABLE_NAME": "visitors", "RESUME_GITHUB_REPO": "octo/site"},
        "table_name: leave it unset with github_repo: every stage's deploy role would be granted",
    ),
    ({"RESUME_STATE_BUCKET": "Bad_Bucket"}, "state_bucket: 'Bad_Bucket' is not valid"),
    ({"RESUME_PROJECT": "My Project"}, "project: 'My Project' is not valid"),
    ({"RESUME_TAGS": "novalue"}, "tags: expected key=value pairs"),
    ({"RESUME_TRACING": "maybe"}, "tracing: 'maybe' is not true or false"),
    ({"RESUME_LOG_LEVEL": "LOUD"}, "log_level: 'LOUD' is not DEBUG, INFO, WARNING or ERROR"),
    ({"RESUME_CONFIG_FILE": "/nonexistent.toml"}, "RESUME_CONFIG_FILE: /nonexistent.toml does not"),
    # A trust policy's subject is built from it: no wildcard, no third part, no bare owner.
    ({"RESUME_GITHUB_REPO": "octo"}, "github_repo: 'octo' is not valid (OWNER/REPO"),
    ({"RESUME_GITHUB_REPO": "octo/*"}, "github_repo: 'octo/*' is not valid"),
    ({"RESUME_GITHUB_REPO": "*/site"}, "github_repo: '*/site' is not valid"),
    ({"RESUME_GITHUB_REPO": "octo/site/x"}, "github_repo: 'octo/site/x' is not valid"),
    ({"RESUME_GITHUB_REPO": "-octo/site"}, "github_repo: '-octo/site' is not valid"),
    ({"RESUME_GITHUB_REPO": "octo/.."}, "github_repo: 'octo/..' is not valid"),
    ({"RESUME_GITHUB_REPO": "octo/site:ref"}, "github_repo: 'octo/site:ref' is not valid"),
]


@pytest.mark.parametrize("repo", ["octo/site", "Octo-Org/my.site_v2", "a/b", "o1/.github"])
def test_github_repositories_as_github_names_them_are_accepted(repo: str) -> None:
    assert load_config({"RESUME_GITHUB_REPO": repo}).github_repo == repo


@pytest.mark.parametrize(("env", "message"), BAD)
def test_bad_value_fails_naming_the_field(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        load_config(env)


def test_unknown_setting_in_a_file_is_named(tmp_path: Path) -> None:
    file = tmp_path / "resume.toml"
    file.write_text('stagee = "prod"\n')

    with pytest.raises(ConfigError, match=r"^stagee: unknown setting"):
        load_config({"RESUME_CONFIG_FILE": str(file)})


def test_state_bucket_without_an_account_explains_how_to_set_it() -> None:
    with pytest.raises(ConfigError, match=r"^state_bucket: set RESUME_STATE_BUCKET"):
        _ = AppConfig().resolved_state_bucket


def test_missing_function_zip_says_how_to_build_it(tmp_path: Path) -> None:
    from resume.app import build_app

    config = AppConfig(account_id="111122223333", function_zip="nope/function.zip")

    with pytest.raises(ConfigError, match=r"nox -s package"):
        build_app(config, project_root=tmp_path)
