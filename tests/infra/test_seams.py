"""What crosses between the function, the stacks and the tooling is defined once, on one side.

The function's environment: its names in visitor_counter.settings.VARIABLES, written by the
stacks through deployed_environment(). The stacks' outputs: the classes of resume.outputs,
written by the stacks and read by the tooling.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

from resume.config import KNOWN_STAGES, STACK_KINDS
from resume.outputs import BackendOutputs, CiOutputs, FrontendOutputs, StateOutputs, output_name
from tests.support.synth import CI, Synthesized, only
from visitor_counter.settings import VARIABLES, Settings, deployed_environment

OUTPUTS = {
    "state": StateOutputs,
    "frontend": FrontendOutputs,
    "backend": BackendOutputs,
    CI: CiOutputs,
}
# A valid value, other than the default, for each setting the environment carries.
SAMPLES = {
    "table_name": "visitors",
    "daily_table_name": "visitors-days",
    "history_table_name": "visitors-past",
    "site_id": "other",
    "allowed_origins": "https://example.com",
    "max_body_bytes": "2048",
    "max_header_bytes": "4096",
    "cors_max_age_s": "60",
    "dynamodb_connect_timeout_s": "0.5",
    "dynamodb_read_timeout_s": "1.5",
    "dynamodb_max_attempts": "3",
    "log_level": "ERROR",
    "max_views_per_client_hour": "5",
    "max_views_per_day": "1000",
    "known_pages_refresh_s": "60",
    "stats_access": "public",
    "stats_retention_days": "30",
    "write_shards": "4",
    "event_names": "cv-download,contact-*",
    "origin_secret": "0f6c9a52-6f1e-4d7a-9f43-2d1b8c0e7a15",
    "other_sites": "shop=https://shop.example|https://www.shop.example",
    "sites_role_arn": "arn:aws:iam::123456789012:role/cloud-resume-dev-counter-sites",
}


def test_the_function_environment_uses_only_the_names_the_handler_reads(
    production: Synthesized,
) -> None:
    function = only(production["backend"], "aws_lambda_function")

    written = function["environment"]["variables"]

    assert set(written) <= set(VARIABLES.values())
    assert {"TABLE_NAME", "ALLOWED_ORIGINS", "STATS_ACCESS"} <= set(written)


# A setting read only with another: other sites need the role their sessions are of.
COMPANIONS = {"other_sites": ("sites_role_arn",)}


@pytest.mark.parametrize("setting", sorted(VARIABLES))
def test_the_handler_reads_each_setting_from_its_one_variable(setting: str) -> None:
    given = (setting, *COMPANIONS.get(setting, ()))
    settings = Settings.from_env(deployed_environment(**{name: SAMPLES[name] for name in given}))

    changed = [f.name for f in fields(Settings) if getattr(settings, f.name) != getattr(
        Settings(), f.name
    )]  # fmt: skip
    assert changed == list(given)


def test_every_variable_has_a_sample() -> None:
    assert set(SAMPLES) == set(VARIABLES)


def test_a_setting_the_environment_does_not_carry_is_refused() -> None:
    with pytest.raises(TypeError, match="no environment variable sets region"):
        deployed_environment(table_name="visitors", region="eu-west-1")


@pytest.mark.parametrize("kind", [*STACK_KINDS, CI])
def test_each_stack_writes_exactly_its_outputs_class(with_ci: Synthesized, kind: str) -> None:
    # Leaving out the outputs cdktf adds itself for another stack's references.
    written = [name for name in with_ci[kind]["output"] if not name.startswith("cross-stack-")]

    assert sorted(written) == sorted(field.name for field in fields(OUTPUTS[kind]))


def test_the_ci_outputs_have_a_deploy_role_for_every_stage() -> None:
    roles = [f.name for f in fields(CiOutputs) if f.name.startswith("deploy_role_arn_")]

    assert roles == [f"deploy_role_arn_{stage}" for stage in KNOWN_STAGES]


def test_reading_one_output_alone_names_a_real_one() -> None:
    assert output_name(FrontendOutputs, "site_url") == "site_url"
    with pytest.raises(KeyError, match="FrontendOutputs has no output 'site'"):
        output_name(FrontendOutputs, "site")
