"""The resolved config reaches `main.py` whole: commas, quotes and unicode survive the trip."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from resume.config import AppConfig, ConfigError, config_from_json, config_to_json
from resume_tools.artifacts.synth import synthesize
from tests.support.synth import PROJECT_ROOT

AWKWARD_TAGS = (
    ("Note", "a,b"),
    ("Quote", "say \"hi\", then 'bye'"),
    ("Équipe", "café = crème"),
    ("Path", "a=b;c\\d"),
)
AWKWARD_ORIGINS = ("https://bücher.example", "http://localhost:4321", "https://a.example:8443")


def awkward_config(function_zip: Path) -> AppConfig:
    """A valid config whose values the old environment-variable transport could not carry."""
    return AppConfig(
        function_zip=str(function_zip),
        tags=AWKWARD_TAGS,
        allowed_origins=AWKWARD_ORIGINS,
    )


def test_json_round_trip_is_lossless(function_zip: Path) -> None:
    config = awkward_config(function_zip)

    assert config_from_json(config_to_json(config)) == config


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "config JSON is not valid"),
        ("[]", "config JSON must be an object"),
        ('{"stage": "moon"}', "stage: 'moon' is unknown"),
        ('{"stagee": "dev"}', "stagee: unknown setting"),
    ],
)
def test_bad_config_json_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_json(text)


def test_synth_builds_exactly_the_resolved_config(function_zip: Path, tmp_path: Path) -> None:
    config = awkward_config(function_zip)
    # The environment says otherwise: main.py must build the config it was handed, not this.
    env = {
        **os.environ,
        "RESUME_TAGS": "Wrong=1",
        "RESUME_ALLOWED_ORIGINS": "https://wrong.example",
    }

    synthesize(PROJECT_ROOT, config, env, tmp_path)

    stack = json.loads(
        (tmp_path / "stacks" / config.stack_name("backend") / "cdk.tf.json").read_text()
    )
    (provider,) = stack["provider"]["aws"]
    assert provider["default_tags"][0]["tags"] == config.all_tags
    (function,) = stack["resource"]["aws_lambda_function"].values()
    origins = function["environment"]["variables"]["ALLOWED_ORIGINS"]
    assert origins.split(",")[: len(AWKWARD_ORIGINS)] == list(AWKWARD_ORIGINS)
