"""Settings come from the environment, validated once, with the variable named on error."""

from __future__ import annotations

import re

import pytest

from visitor_counter.settings import Settings, SettingsError, parse_origin


def test_defaults_match_the_original() -> None:
    settings = Settings.from_env({})

    assert settings.table_name == "cloud-resume-challenge"
    assert settings.site_id == "blog"
    assert settings.region == "eu-west-2"


def test_values_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "TABLE_NAME": "my-table",
            "ALLOWED_ORIGINS": "https://Example.com/, http://localhost:4321",
            "AWS_REGION": "us-east-1",
            "MAX_BODY_BYTES": "2048",
            "LOG_LEVEL": "debug",
        }
    )

    assert settings.table_name == "my-table"
    assert settings.allowed_origins == {"https://example.com", "http://localhost:4321"}
    assert settings.region == "us-east-1"
    assert settings.max_body_bytes == 2048
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TABLE_NAME": "x"}, "TABLE_NAME='x' does not match"),
        ({"TABLE_NAME": "bad name!"}, "TABLE_NAME='bad name!' does not match"),
        ({"ALLOWED_ORIGINS": "example.com"}, "ALLOWED_ORIGINS: 'example.com' is not an origin"),
        ({"ALLOWED_ORIGINS": "*"}, "ALLOWED_ORIGINS: '*' is not an origin"),
        (
            {"ALLOWED_ORIGINS": "https://a.com/path"},
            "ALLOWED_ORIGINS: 'https://a.com/path' is not an origin: it must not have a path",
        ),
        ({"ALLOWED_ORIGINS": " , "}, "ALLOWED_ORIGINS must list at least one origin"),
        ({"MAX_BODY_BYTES": "lots"}, "MAX_BODY_BYTES='lots' is not a whole number"),
        ({"STATS_ACCESS": "open"}, "STATS_ACCESS='OPEN' is not one of PRIVATE, PUBLIC"),
        ({"STATS_RETENTION_DAYS": "4000"}, "STATS_RETENTION_DAYS=4000 is outside 1..3650"),
        ({"HISTORY_TABLE_NAME": "x y"}, "HISTORY_TABLE_NAME='x y' does not match"),
        ({"MAX_BODY_BYTES": "-1"}, "MAX_BODY_BYTES=-1 is outside 0..1048576"),
        ({"DYNAMODB_MAX_ATTEMPTS": "0"}, "DYNAMODB_MAX_ATTEMPTS=0 is outside 1..10"),
        ({"DYNAMODB_READ_TIMEOUT_S": "soon"}, "DYNAMODB_READ_TIMEOUT_S='soon' is not a number"),
        ({"DYNAMODB_CONNECT_TIMEOUT_S": "0"}, "DYNAMODB_CONNECT_TIMEOUT_S=0.0 is outside"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL='LOUD' is not one of DEBUG, ERROR, INFO, WARNING"),
        ({"SITE_ID": ""}, "SITE_ID='' does not match"),
        ({"MAX_VIEWS_PER_DAY": "0"}, "MAX_VIEWS_PER_DAY=0 is outside 1..100000000"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match="^" + re.escape(message)):
        Settings.from_env(env)


def test_stats_settings_default_to_private_and_400_days_and_the_history_table() -> None:
    default = Settings.from_env({"TABLE_NAME": "t-visitors"})
    public = Settings.from_env({"STATS_ACCESS": "Public", "STATS_RETENTION_DAYS": "30"})

    assert (default.stats_access, default.stats_retention_days) == ("private", 400)
    assert default.history_table == "t-visitors-history"
    assert (public.stats_access, public.stats_retention_days) == ("public", 30)


def test_origin_keeps_an_explicit_port() -> None:
    assert parse_origin("http://LOCALHOST:4321") == "http://localhost:4321"


def test_origin_with_a_bad_port_is_rejected() -> None:
    with pytest.raises(ValueError, match="invalid port"):
        parse_origin("http://localhost:99999")
