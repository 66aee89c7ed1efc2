"""Alarms to an SNS topic, the dashboard, tracing and log level: all from the config."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from resume.config import AppConfig
from tests.support.synth import Synthesized, only, policy_statements, resources, synth_app

ALARMS = {
    "cloud-resume-dev-lambda-errors": ("AWS/Lambda", "Errors", "Sum", 1),
    "cloud-resume-dev-lambda-throttles": ("AWS/Lambda", "Throttles", "Sum", 1),
    "cloud-resume-dev-p99-latency": ("AWS/Lambda", "Duration", "p99", 1000),
    "cloud-resume-dev-dynamodb-write-throttles": ("AWS/DynamoDB", "WriteThrottleEvents", "Sum", 1),
    "cloud-resume-dev-dynamodb-read-throttles": ("AWS/DynamoDB", "ReadThrottleEvents", "Sum", 1),
    "cloud-resume-dev-dynamodb-index-throttles": ("AWS/DynamoDB", "WriteThrottleEvents", "Sum", 1),
    "cloud-resume-dev-api-request-surge": ("AWS/ApiGateway", "Count", "Sum", 3000),
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


def test_the_index_alarm_watches_the_pages_by_day_index(production: Synthesized) -> None:
    alarm = alarms(production["backend"])["cloud-resume-dev-dynamodb-index-throttles"]

    assert alarm["dimensions"]["GlobalSecondaryIndexName"] == "pages-by-day"
    assert re.fullmatch(
        r"\$\{aws_dynamodb_table\.history_table_\w+\.name\}", alarm["dimensions"]["TableName"]
    )


def test_every_alarm_notifies_the_topic(production: Synthesized) -> None:
    found = alarms(production["backend"])

    assert len(found) == 8
    for alarm in found.values():
        (action,) = alarm["alarm_actions"]
        assert re.fullmatch(r"\$\{aws_sns_topic\.alarms_topic_\w+\.arn\}", action)
        assert alarm["ok_actions"] == alarm["alarm_actions"]


def test_by_default_the_topic_has_no_key_says_why_and_has_no_subscription(
    production: Synthesized,
) -> None:
    topic = only(production["backend"], "aws_sns_topic")

    assert "kms_master_key_id" not in topic
    assert resources(production["backend"], "aws_kms_key") == []
    (accepted,) = topic["//"]["checkov"]["skip"]
    assert accepted["id"] == "CKV_AWS_26"
    assert "no visitor data" in accepted["comment"]
    assert "encrypt_alarm_topic = true" in accepted["comment"]
    assert resources(production["backend"], "aws_sns_topic_subscription") == []


def test_with_encrypt_alarm_topic_the_topic_has_a_key_of_its_own(with_ci: Synthesized) -> None:
    topic = only(with_ci["backend"], "aws_sns_topic")

    # Not alias/aws/sns: CloudWatch cannot use the AWS-managed key, so nothing would arrive.
    assert re.fullmatch(r"\$\{aws_kms_key\.alarms_topic-key_\w+\.arn\}", topic["kms_master_key_id"])
    assert "checkov" not in topic["//"]  # nothing accepted: the finding does not arise


def test_the_key_policy_lets_the_account_put_its_next_policy(with_ci: Synthesized) -> None:
    """What KMS's lockout check at CreateKey asks of the policy: the account (so the caller,
    through its IAM policy) may call PutKeyPolicy later. The check is not skipped."""
    key = only(with_ci["backend"], "aws_kms_key")
    (account,) = [
        s for s in json.loads(key["policy"])["Statement"] if s["Sid"] == "AccountAdministersTheKey"
    ]

    assert "bypass_policy_lockout_safety_check" not in key
    assert account["Effect"] == "Allow"
    assert account["Principal"]["AWS"].endswith(":root")
    assert "kms:PutKeyPolicy" in account["Action"]
    assert "Condition" not in account


def test_the_topic_key_rotates_and_only_our_alarms_may_use_it(with_ci: Synthesized) -> None:
    key = only(with_ci["backend"], "aws_kms_key")

    policy = json.loads(key["policy"])

    assert key["enable_key_rotation"] is True
    statements = {statement["Sid"]: statement for statement in policy["Statement"]}
    assert set(statements) == {
        "AccountAdministersTheKey",
        "CloudWatchAlarmsEncryptNotifications",
        "BudgetsEncryptNotifications",
    }
    for sid, service, source in (
        ("CloudWatchAlarmsEncryptNotifications", "cloudwatch.amazonaws.com", OUR_ALARMS),
        ("BudgetsEncryptNotifications", "budgets.amazonaws.com", OUR_BUDGETS),
    ):
        publisher = statements[sid]
        assert publisher["Principal"] == {"Service": service}
        assert publisher["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
        assert unhashed(publisher["Condition"]) == {
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
            "ArnLike": {"aws:SourceArn": source},
        }
    admin = statements["AccountAdministersTheKey"]
    assert unhashed(admin["Principal"]) == {"AWS": f"arn:{PARTITION}:iam::{ACCOUNT}:root"}
    assert not [action for action in admin["Action"] if "*" in action]
    assert not {"kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom", "kms:CreateGrant"} & set(
        admin["Action"]
    )


def test_only_our_alarms_may_publish_to_the_topic(production: Synthesized) -> None:
    policy = only(production["backend"], "aws_sns_topic_policy")
    documents = production["backend"]["data"]["aws_iam_policy_document"]
    (name,) = [name for name in documents if name.startswith("alarms_topic-policy-document_")]

    alarms, budgets = documents[name]["statement"]

    assert policy["policy"] == f"${{data.aws_iam_policy_document.{name}.json}}"
    for statement, service, source in (
        (alarms, "cloudwatch.amazonaws.com", OUR_ALARMS),
        (budgets, "budgets.amazonaws.com", OUR_BUDGETS),
    ):
        assert statement["principals"] == [{"type": "Service", "identifiers": [service]}]
        assert statement["actions"] == ["sns:Publish"]
        assert re.fullmatch(r"\$\{aws_sns_topic\.alarms_topic_\w+\.arn\}", *statement["resources"])
        assert unhashed(statement["condition"]) == [
            {"test": "StringEquals", "variable": "aws:SourceAccount", "values": [ACCOUNT]},
            {"test": "ArnLike", "variable": "aws:SourceArn", "values": [source]},
        ]


ACCOUNT = "${data.aws_caller_identity.alarms_topic-account_ID.account_id}"
PARTITION = "${data.aws_partition.alarms_topic-partition_ID.partition}"
OUR_ALARMS = f"arn:{PARTITION}:cloudwatch:eu-west-2:{ACCOUNT}:alarm:cloud-resume-dev-*"
OUR_BUDGETS = f"arn:{PARTITION}:budgets::{ACCOUNT}:budget/cloud-resume-dev-*"


def unhashed(value: Any) -> Any:
    """`value` with cdktf's per-construct hash suffixes replaced by _ID, for comparison."""
    return json.loads(re.sub(r"_[0-9A-F]{8}\.", "_ID.", json.dumps(value)))


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


def test_lambda_logs_json_without_its_routine_lines_and_keeps_every_line_of_the_function(
    production: Synthesized,
) -> None:
    """System logs at WARN: no START/END/REPORT for a successful invocation. Application
    logs at INFO: Lambda files the function's lines as INFO, so none (and no metric) is
    dropped (resume.counter_function says why, from AWS's guides)."""
    function = only(production["backend"], "aws_lambda_function")

    config = function["logging_config"]
    assert (config["log_format"], config["system_log_level"], config["application_log_level"]) == (
        "JSON",
        "WARN",
        "INFO",
    )
    assert re.fullmatch(r"\$\{aws_cloudwatch_log_group\.\w+\.name\}", config["log_group"])


def test_log_level_comes_from_config(production: Synthesized, with_domain: Synthesized) -> None:
    def level(document: dict[str, Any]) -> str:
        function = only(document, "aws_lambda_function")
        return str(function["environment"]["variables"]["LOG_LEVEL"])

    assert (level(production["backend"]), level(with_domain["backend"])) == ("INFO", "WARNING")


def test_the_monthly_budget_notifies_the_alarm_topic(production: Synthesized) -> None:
    budget = only(production["backend"], "aws_budgets_budget")

    assert budget["name"] == "cloud-resume-dev-account-monthly-cost"
    assert (budget["budget_type"], budget["time_unit"]) == ("COST", "MONTHLY")
    assert (budget["limit_amount"], budget["limit_unit"]) == ("5.00", "USD")
    notifications = {
        (n["notification_type"], n["comparison_operator"], n["threshold"], n["threshold_type"])
        for n in budget["notification"]
    }
    assert notifications == {
        ("ACTUAL", "GREATER_THAN", 80, "PERCENTAGE"),
        ("FORECASTED", "GREATER_THAN", 100, "PERCENTAGE"),
    }
    for notification in budget["notification"]:
        (topic,) = notification["subscriber_sns_topic_arns"]
        assert re.fullmatch(r"\$\{aws_sns_topic\.alarms_topic_\w+\.arn\}", topic)


def test_no_budget_when_its_limit_is_zero(function_zip: Path, tmp_path: Path) -> None:
    config = AppConfig(function_zip=str(function_zip), monthly_budget_usd=0)

    backend = synth_app(config, tmp_path)[1]["backend"]

    assert resources(backend, "aws_budgets_budget") == []
