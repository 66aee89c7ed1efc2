"""Alarms on the counter (to an SNS topic, optionally e-mailed) and its CloudWatch dashboard."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import (
    CloudwatchMetricAlarm,
    CloudwatchMetricAlarmMetricQuery,
    CloudwatchMetricAlarmMetricQueryMetric,
)
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription

from constructs import Construct
from resume.alarm_topic import alarm_topic
from visitor_counter.schema import PAGES_BY_DAY_INDEX
from visitor_counter.telemetry import DIMENSION, NAMESPACE

PERIOD_S = 300
API_5XX_RATE_PERCENT = 5
P99_LATENCY_MS = 1000


@dataclass(frozen=True)
class SimpleAlarm:
    """One metric, one statistic, one threshold."""

    name: str
    namespace: str
    metric: str
    dimensions: dict[str, str]
    threshold: float
    statistic: str = "Sum"
    description: str = ""


class CounterAlarms(Construct):
    """Alarms for errors, throttles, 5xx rate, p99 latency; a dashboard of the counters."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        region: str,
        function_name: str,
        api_id: str,
        table_name: str,
        history_table_name: str,
        site_id: str,
        alarm_email: str,
        request_alarm_per_5min: int,
        encrypt_topic: bool,
    ) -> None:
        super().__init__(scope, id_)
        self.topic = alarm_topic(self, name=name, region=region, encrypted=encrypt_topic)
        if alarm_email:
            SnsTopicSubscription(
                self, "email", topic_arn=self.topic.arn, protocol="email", endpoint=alarm_email
            )
        simple = [
            SimpleAlarm("lambda-errors", "AWS/Lambda", "Errors", {"FunctionName": function_name},
                        1, description="The counter function failed (crash or timeout)."),
            SimpleAlarm("lambda-throttles", "AWS/Lambda", "Throttles",
                        {"FunctionName": function_name}, 1,
                        description="Invocations were throttled: reserved concurrency reached."),
            SimpleAlarm("p99-latency", "AWS/Lambda", "Duration", {"FunctionName": function_name},
                        P99_LATENCY_MS, statistic="p99",
                        description=f"p99 function duration above {P99_LATENCY_MS} ms."),
            # The table's own throttle events, then the history index's, which a
            # TableName-only metric leaves out: every page view writes its entry.
            SimpleAlarm("dynamodb-write-throttles", "AWS/DynamoDB", "WriteThrottleEvents",
                        {"TableName": table_name}, 1,
                        description="DynamoDB throttled writes (counters, seen-markers, salts)."),
            SimpleAlarm("dynamodb-read-throttles", "AWS/DynamoDB", "ReadThrottleEvents",
                        {"TableName": table_name}, 1,
                        description="DynamoDB throttled reads (page counts, salts)."),
            SimpleAlarm("dynamodb-index-throttles", "AWS/DynamoDB", "WriteThrottleEvents",
                        {"TableName": history_table_name,
                         "GlobalSecondaryIndexName": PAGES_BY_DAY_INDEX},
                        1, description="DynamoDB throttled writes to the pages-by-day index."),
            # A cost guard: every request costs; this many in 5 minutes is a flood or abuse.
            SimpleAlarm("api-request-surge", "AWS/ApiGateway", "Count", {"ApiId": api_id},
                        request_alarm_per_5min,
                        description=f"At least {request_alarm_per_5min} API requests in 5 "
                        "minutes: far above normal traffic (cost)."),
        ]  # fmt: skip
        self.alarms = [self._simple(name, alarm) for alarm in simple]
        self.alarms.append(self._api_5xx_rate(name, api_id))
        self.dashboard = CloudwatchDashboard(
            self,
            "dashboard",
            dashboard_name=name,
            dashboard_body=json.dumps(_dashboard(region, function_name, api_id, site_id)),
        )

    def _simple(self, prefix: str, alarm: SimpleAlarm) -> CloudwatchMetricAlarm:
        percentile = alarm.statistic.startswith("p")
        return CloudwatchMetricAlarm(
            self,
            alarm.name,
            alarm_name=f"{prefix}-{alarm.name}",
            alarm_description=alarm.description,
            namespace=alarm.namespace,
            metric_name=alarm.metric,
            dimensions=alarm.dimensions,
            statistic=None if percentile else alarm.statistic,
            extended_statistic=alarm.statistic if percentile else None,
            period=PERIOD_S,
            evaluation_periods=1,
            threshold=alarm.threshold,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=[self.topic.arn],
            ok_actions=[self.topic.arn],
        )

    def _api_5xx_rate(self, prefix: str, api_id: str) -> CloudwatchMetricAlarm:
        def api_metric(query_id: str, metric: str) -> CloudwatchMetricAlarmMetricQuery:
            return CloudwatchMetricAlarmMetricQuery(
                id=query_id,
                metric=CloudwatchMetricAlarmMetricQueryMetric(
                    namespace="AWS/ApiGateway",
                    metric_name=metric,
                    dimensions={"ApiId": api_id},
                    period=PERIOD_S,
                    stat="Sum",
                ),
            )

        return CloudwatchMetricAlarm(
            self,
            "api-5xx-rate",
            alarm_name=f"{prefix}-api-5xx-rate",
            alarm_description=f"More than {API_5XX_RATE_PERCENT}% of API requests answered 5xx.",
            metric_query=[
                api_metric("errors", "5xx"),
                api_metric("requests", "Count"),
                CloudwatchMetricAlarmMetricQuery(
                    id="rate",
                    expression="IF(requests > 0, 100 * errors / requests, 0)",
                    label="5xx rate (%)",
                    return_data=True,
                ),
            ],
            evaluation_periods=1,
            threshold=API_5XX_RATE_PERCENT,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=[self.topic.arn],
            ok_actions=[self.topic.arn],
        )


def _dashboard(region: str, function_name: str, api_id: str, site_id: str) -> dict[str, object]:
    site = [DIMENSION, site_id]

    def widget(
        title: str, metrics: list[list[object]], stat: str, x: int, y: int
    ) -> dict[str, object]:
        return {
            "type": "metric", "x": x, "y": y, "width": 12, "height": 6,
            "properties": {"title": title, "region": region, "stat": stat, "period": PERIOD_S,
                           "view": "timeSeries", "metrics": metrics},
        }  # fmt: skip

    return {
        "widgets": [
            widget("Views, unique visitors, bots", [
                [NAMESPACE, "CountedViews", *site], [NAMESPACE, "UniqueVisitors", *site],
                [NAMESPACE, "BotHits", *site], [NAMESPACE, "RejectedRequests", *site],
            ], "Sum", 0, 0),
            widget("Handler latency (ms)", [
                [NAMESPACE, "HandlerLatency", *site, {"stat": "p50"}],
                [NAMESPACE, "HandlerLatency", *site, {"stat": "p99"}],
            ], "p99", 12, 0),
            widget("Function errors and throttles", [
                ["AWS/Lambda", "Errors", "FunctionName", function_name],
                ["AWS/Lambda", "Throttles", "FunctionName", function_name],
                [NAMESPACE, "DynamoDBErrors", *site],
            ], "Sum", 0, 6),
            widget("API requests, 4xx, 5xx", [
                ["AWS/ApiGateway", "Count", "ApiId", api_id],
                ["AWS/ApiGateway", "4xx", "ApiId", api_id],
                ["AWS/ApiGateway", "5xx", "ApiId", api_id],
            ], "Sum", 12, 6),
        ]
    }  # fmt: skip
