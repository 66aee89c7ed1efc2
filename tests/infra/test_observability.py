"""Alarms to an SNS topic, the dashboard, tracing and log level: all from the config."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.synth import Synthesized, only, policy_statements, resources

ALARMS = {
    "cloud-resume-dev-lambda-errors": ("AWS/Lambda", "Errors", "Sum", 1),
    "cloud-resume-dev-lambda-throttles": ("AWS/Lambda", "Throttles", "Sum", 1),
    "cloud-resume-dev-p99-latency": ("AWS/Lambda", "Duration", "p99", 1000),
    "cloud-resume-dev-dynamodb-write-throttles": ("AWS/DynamoDB", "WriteThrottleEvents", "Sum", 1),
    "cloud-resume-dev-dynamodb-read-throttles": ("AWS/DynamoDB", "ReadThrottleEvents", "Sum", 1),
    "cloud-resume-dev-dynamodb-index-throttles": ("AWS/DynamoDB", "WriteThrottleEvents", "Sum", 1),
}


def alarms(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["alarm_name"]: a for a in resources(document, "aws_cloudwatch_metric_alarm")}


@pytest.mark.parametrize("alarm_name", sorted(ALARMS))
def test_metric_alarms_watch_the_right_metric(production: Synthesized, alarm_name: str) -> None:
    alarm = alarms(production["backend"])[alarm_name]
    namespace, metric, statistic, threshold = ALARMS[alarm_name]

    assert (alarm["namespace"], alarm["metric_name"], alarm["threshold"]) == (
        namespace,
        metric,
        threshold,
    )
    assert statistic in (alarm.get("statistic"), alarm.get("extended_statistic"))
    assert alarm["comparison_operator"] == "GreaterThanOrEqualToThreshold"


def test_api_5xx_rate_alarm_divides_5xx_by_requests(production: Synthesized) -> None:
    alarm = alarms(production["backend"])["cloud-resume-dev-api-5xx-rate"]

    queries = {q["id"]: q for q in alarm["metric_query"]}
    assert queries["errors"]["metric"]["metric_name"] == "5xx"
    assert queries["requests"]["metric"]["metric_name"] == "Count"
    assert queries["rate"]["expression"] == "IF(requests > 0, 100 * errors / requests, 0)"
    assert alarm["threshold"] == 5


def test_the_index_alarm_watches_the_top_pages_index(production: Synthesized) -> None:
    alarm = alarms(production["backend"])["cloud-resume-dev-dynamodb-index-throttles"]

    assert alarm["dimensions"]["GlobalSecondaryIndexName"] == "top-pages"


def test_every_alarm_notifies_the_topic(production: Synthesized) -> None:
    found = alarms(production["backend"])

    assert len(found) == 7
    for alarm in found.values():
        (action,) = alarm["alarm_actions"]
        assert re.fullmatch(r"\$\{aws_sns_topic\.alarms_topic_\w+\.arn\}", action)
        assert alarm["ok_actions"] == alarm["alarm_actions"]


def test_topic_is_encrypted_and_has_no_subscription_by_default(production: Synthesized) -> None:
    topic = only(production["backend"], "aws_sns_topic")

    assert topic["kms_master_key_id"] == "alias/aws/sns"
    assert resources(production["backend"], "aws_sns_topic_subscription") == []


def test_alarm_email_subscribes_to_the_topic(with_domain: Synthesized) -> None:
    subscription = only(with_domain["backend"], "aws_sns_topic_subscription")

    assert (subscription["protocol"], subscription["endpoint"]) == ("email", "ops@example.com")


def test_dashboard_shows_the_counters_and_latency(production: Synthesized) -> None:
    body = json.loads(only(production["backend"], "aws_cloudwatch_dashboard")["dashboard_body"])

    metrics = [m[1] for widget in body["widgets"] for m in widget["properties"]["metrics"]]
    assert {"CountedViews", "UniqueVisitors", "BotHits", "HandlerLatency", "5xx"} <= set(metrics)


def test_tracing_is_off_by_default(production: Synthesized) -> None:
    function = only(production["backend"], "aws_lambda_function")

    assert function["tracing_config"] == {"mode": "PassThrough"}


def test_tracing_on_turns_on_x_ray_with_its_only_possible_grant(with_domain: Synthesized) -> None:
    function = only(with_domain["backend"], "aws_lambda_function")
    traces = [s for s in policy_statements(with_domain["backend"]) if s.get("sid") == "WriteTraces"]

    assert function["tracing_config"] == {"mode": "Active"}
    assert traces[0]["actions"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]


def test_log_level_comes_from_config(production: Synthesized, with_domain: Synthesized) -> None:
    def level(document: dict[str, Any]) -> str:
        function = only(document, "aws_lambda_function")
        return str(function["environment"]["variables"]["LOG_LEVEL"])

    assert (level(production["backend"]), level(with_domain["backend"])) == ("INFO", "WARNING")
