"""The backend stack: table, function, least-privilege role and the throttled HTTP API."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import cdktf
import pytest

from resume.config import AppConfig
from resume.route_throttles import route_throttles
from tests.support.synth import (
    Synthesized,
    counter_table,
    only,
    policy_statements,
    resources,
)
from visitor_counter import schema


def test_table_is_on_demand_with_recovery_encryption_and_ttl(production: Synthesized) -> None:
    assert cdktf.Testing.to_have_resource_with_properties(
        json.dumps(production["backend"]),
        "aws_dynamodb_table",
        {
            "name": "cloud-resume-dev-visitors",
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "ID",
            "attribute": [
                {"name": "ID", "type": "S"},
                {"name": "site", "type": "S"},
                {"name": "day", "type": "S"},
            ],
            "point_in_time_recovery": {"enabled": True},
            "server_side_encryption": {"enabled": True},
            "ttl": {"attribute_name": "expires_at", "enabled": True},
            "deletion_protection_enabled": True,
        },
    )


def test_the_counter_tables_one_index_holds_keys_a_view_does_not_change(
    production: Synthesized,
) -> None:
    """An index sorted by views moves a page's entry on each view: two write units more.

    The live-days index is keyed by the page's site and live day, which only a page's new
    day changes, and holds nothing else: a view writes no entry.
    """
    table = counter_table(production["backend"])

    assert table["global_secondary_index"] == [
        {
            "name": schema.LIVE_DAYS_INDEX,
            "hash_key": schema.SITE_ATTRIBUTE,
            "range_key": schema.DAY_ATTRIBUTE,
            "projection_type": "KEYS_ONLY",
        }
    ]


def test_function_is_arm64_python313(production: Synthesized) -> None:
    function = only(production["backend"], "aws_lambda_function")

    assert function["architectures"] == ["arm64"]
    assert function["runtime"] == "python3.13"
    assert function["handler"] == "visitor_counter.handler.lambda_handler"


def test_function_sizes_come_from_config(production: Synthesized) -> None:
    function = only(production["backend"], "aws_lambda_function")

    assert (function["memory_size"], function["timeout"]) == (256, 5)
    assert function["reserved_concurrent_executions"] == 10


def test_function_code_hash_is_the_packages(production: Synthesized, function_zip: Path) -> None:
    function = only(production["backend"], "aws_lambda_function")

    expected = base64.b64encode(hashlib.sha256(function_zip.read_bytes()).digest()).decode()
    assert function["source_code_hash"] == expected
    assert function["filename"].startswith("assets/")


def test_function_environment_names_the_table_and_origins(production: Synthesized) -> None:
    variables = only(production["backend"], "aws_lambda_function")["environment"]["variables"]

    assert variables["TABLE_NAME"].startswith("${aws_dynamodb_table.")
    # The site's CloudFront name is not known before the frontend exists: it comes with
    # each request through the site (visitor_counter.viewer), which the secret proves.
    assert variables["ALLOWED_ORIGINS"] == "http://localhost:4321"
    assert re.fullmatch(
        # Sensitive: a plan shows "(sensitive value)", never the secret.
        r"\$\{sensitive\(terraform_data\.origin-secret_value_\w+\.output\.value\)\}",
        variables["ORIGIN_SECRET"],
    )


def test_the_origin_secret_is_made_once_and_kept(production: Synthesized) -> None:
    secret = only(production["backend"], "terraform_data")

    assert secret["input"] == {"value": "${uuid()}"}
    assert secret["lifecycle"]["ignore_changes"] == ["input"]


def test_a_custom_domain_is_an_allowed_origin(with_domain: Synthesized) -> None:
    variables = only(with_domain["backend"], "aws_lambda_function")["environment"]["variables"]

    origins = variables["ALLOWED_ORIGINS"].split(",")
    assert origins[-2:] == ["https://example.com", "https://www.example.com"]


def test_function_logs_to_its_own_group_with_retention(production: Synthesized) -> None:
    groups = {g["name"]: g for g in resources(production["backend"], "aws_cloudwatch_log_group")}

    assert groups["/aws/lambda/cloud-resume-dev-counter"]["retention_in_days"] == 30


def test_role_may_only_use_its_sites_items_and_the_history_index_and_write_its_logs(
    production: Synthesized,
) -> None:
    statements = {s.get("sid"): s for s in policy_statements(production["backend"])}

    count = statements["CountVisits"]
    assert count["actions"] == ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]
    assert re.fullmatch(r"\$\{aws_dynamodb_table\.table_\w+\.arn\}", *count["resources"])
    assert count["condition"] == [
        {
            "test": "ForAllValues:StringLike",
            "variable": "dynamodb:LeadingKeys",
            "values": ["blog", "blog#*"],
        }
    ]
    history = statements["HistoryItems"]
    assert history["actions"] == ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    assert re.fullmatch(r"\$\{aws_dynamodb_table\.history_table_\w+\.arn\}", *history["resources"])
    assert history["condition"] == count["condition"]
    by_day = statements["QueryPagesByDay"]
    assert by_day["actions"] == ["dynamodb:Query"]
    assert by_day["condition"] == count["condition"]  # the indexes' partitions are the site's
    pages_by_day, live_days = by_day["resources"]
    assert re.fullmatch(
        r"\$\{aws_dynamodb_table\.history_table_\w+\.arn\}/index/pages-by-day", pages_by_day
    )
    assert re.fullmatch(r"\$\{aws_dynamodb_table\.table_\w+\.arn\}/index/live-days", live_days)
    assert statements["WriteOwnLogs"]["actions"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    (logs,) = statements["WriteOwnLogs"]["resources"]
    assert re.fullmatch(r"\$\{aws_cloudwatch_log_group\.function_logs_\w+\.arn\}:\*", logs)


def test_one_site_has_no_sites_role_and_asks_for_no_session(production: Synthesized) -> None:
    """The single-site deployment is unchanged: one role, no STS, the daily table its own."""
    backend = production["backend"]
    role = only(backend, "aws_lambda_function")["role"]
    daily = json.loads(only(backend, "aws_dynamodb_resource_policy")["policy"])

    assert [r["name"] for r in resources(backend, "aws_iam_role")] == [
        "cloud-resume-dev-counter-role"
    ]
    assert "SITES_ROLE_ARN" not in only(backend, "aws_lambda_function")["environment"]["variables"]
    assert not [s for s in policy_statements(backend) if "sts:AssumeRole" in s.get("actions", [])]
    assert daily["Statement"][0]["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": role}}


def test_no_policy_grants_wildcard_actions_or_resources(production: Synthesized) -> None:
    allows = [s for s in policy_statements(production["backend"]) if s.get("effect") != "Deny"]

    for statement in allows:
        assert not any("*" in action for action in statement["actions"]), statement
        assert all(r not in ("*", "arn:aws:*") for r in statement.get("resources", [])), statement


def test_the_api_leaves_cors_to_the_function(production: Synthesized) -> None:
    api = only(production["backend"], "aws_apigatewayv2_api")

    # With a cors_configuration, API Gateway would answer preflights itself and drop the
    # function's CORS headers; without one, OPTIONS reaches the function (ANY routes).
    assert "cors_configuration" not in api


def test_api_routes_every_method_of_the_handlers_paths_to_it(production: Synthesized) -> None:
    routes = [r["route_key"] for r in resources(production["backend"], "aws_apigatewayv2_route")]
    integration = only(production["backend"], "aws_apigatewayv2_integration")

    assert sorted(routes) == ["ANY /", "ANY /pages", "ANY /pages/{page+}", "ANY /stats/{route+}"]
    assert integration["payload_format_version"] == "2.0"
    assert integration["integration_type"] == "AWS_PROXY"


def test_each_route_is_throttled_with_its_own_share(production: Synthesized) -> None:
    stage = only(production["backend"], "aws_apigatewayv2_stage")

    # HTTP APIs keep one token bucket per route: a stage-wide default would be each route's.
    assert stage["name"] == "$default"
    assert "default_route_settings" not in stage
    assert _route_throttles(stage) == {
        "ANY /": (30, 15.0),
        "ANY /pages": (10, 5.0),
        "ANY /pages/{page+}": (45, 22.5),
        "ANY /stats/{route+}": (15, 7.5),
    }


def test_the_routes_throttles_sum_to_the_configured_ceiling(
    production: Synthesized, production_config: AppConfig
) -> None:
    throttles = _route_throttles(only(production["backend"], "aws_apigatewayv2_stage"))
    route_keys = {
        r["route_key"] for r in resources(production["backend"], "aws_apigatewayv2_route")
    }

    assert set(throttles) == route_keys
    assert sum(burst for burst, _ in throttles.values()) == production_config.throttle_burst_limit
    assert sum(rate for _, rate in throttles.values()) == production_config.throttle_rate_limit_rps


def test_the_stage_is_created_after_the_routes_its_settings_name(production: Synthesized) -> None:
    stage = only(production["backend"], "aws_apigatewayv2_stage")
    routes = production["backend"]["resource"]["aws_apigatewayv2_route"]

    # AWS refuses route settings for a route key the API does not have yet.
    assert sorted(stage["depends_on"]) == sorted(f"aws_apigatewayv2_route.{r}" for r in routes)


@pytest.mark.parametrize(
    ("burst_limit", "rate_limit_rps"),
    [(100, 50.0), (4, 1.0), (7, 1.0), (19, 3.33), (101, 33.3), (999, 0.29), (5000, 10000.0)],
)
def test_route_shares_are_whole_bursts_and_never_sum_above_the_ceiling(
    burst_limit: int, rate_limit_rps: float
) -> None:
    throttles = route_throttles(burst_limit, rate_limit_rps).values()

    assert all(isinstance(t.burst, int) and t.burst >= 1 for t in throttles)
    assert all(t.rate_rps >= 0.01 for t in throttles)
    assert sum(t.burst for t in throttles) == burst_limit
    # Rates are split in hundredths: their sum is the ceiling, less what is finer than that.
    rate_steps = sum(round(t.rate_rps * 100) for t in throttles)
    assert rate_steps == int(Decimal(str(rate_limit_rps)) * 100)
    assert all(t.rate_rps == round(t.rate_rps, 2) for t in throttles)


def test_a_burst_too_small_for_every_route_stops_synthesis() -> None:
    with pytest.raises(ValueError, match=r"throttle_burst_limit: 3 .* set 4 or more"):
        route_throttles(3, 50.0)


def _route_throttles(stage: dict[str, Any]) -> dict[str, tuple[int, float]]:
    return {
        s["route_key"]: (s["throttling_burst_limit"], s["throttling_rate_limit"])
        for s in stage["route_settings"]
    }


def test_stage_writes_json_access_logs(production: Synthesized) -> None:
    settings = only(production["backend"], "aws_apigatewayv2_stage")["access_log_settings"]

    assert json.loads(settings["format"])["status"] == "$context.status"
    assert "aws_cloudwatch_log_group.api_access-logs" in settings["destination_arn"]


def test_an_access_log_line_holds_what_tells_a_failed_request_and_no_time(
    production: Synthesized,
) -> None:
    """Each CloudWatch log event has its own timestamp: the line need not repeat it."""
    settings = only(production["backend"], "aws_apigatewayv2_stage")["access_log_settings"]

    assert json.loads(settings["format"]) == {
        "requestId": "$context.requestId",
        "route": "$context.routeKey",
        "status": "$context.status",
        "integrationError": "$context.integrationErrorMessage",
    }


def test_invoke_permission_is_scoped_to_this_api(production: Synthesized) -> None:
    permission = only(production["backend"], "aws_lambda_permission")

    assert permission["principal"] == "apigateway.amazonaws.com"
    assert re.fullmatch(
        r"\$\{aws_apigatewayv2_api\.api_\w+\.execution_arn\}/\*/\*", permission["source_arn"]
    )


def test_outputs_api_url_table_and_function(production: Synthesized) -> None:
    assert set(production["backend"]["output"]) >= {"api_url", "table_name", "function_name"}
