"""The Lambda that counts visits, its log group and (deployed from a laptop) its role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cdktf import AssetType, TerraformAsset, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaFunctionLoggingConfig,
    LambdaFunctionTracingConfig,
)

from constructs import Construct
from resume.checkov import accept_findings
from resume.config import AppConfig
from resume.counter_table import CounterTable
from resume.daily_table import DailyTable
from resume.function_grants import FunctionResources
from resume.function_role import FunctionRoles, function_role
from resume.history_table import HistoryTable
from resume.runtime import ARCHITECTURE, HANDLER, RUNTIME, zip_sha256_base64
from visitor_counter.settings import deployed_environment

FUNCTION_FINDINGS = {
    "CKV_AWS_50": "X-Ray is opt-in (tracing = true): it needs xray:PutTraceSegments on '*', "
    "so it is off by default (least privilege).",
    "CKV_AWS_116": "Invoked synchronously by API Gateway; a DLQ only applies to async invokes.",
    "CKV_AWS_117": "Talks only to DynamoDB's public endpoint; a VPC adds NAT cost and cold start.",
    "CKV_AWS_173": "The environment holds no secrets (table name, origins, limits).",
    "CKV_AWS_272": "Code signing is out of scope for a personal site's single function.",
}
LOG_GROUP_FINDINGS = {
    "CKV_AWS_158": "CloudWatch encrypts logs at rest; the logs hold no personal data.",
    "CKV_AWS_338": "Retention is configurable (log_retention_days); a year costs more than "
    "a visitor counter's debugging needs.",
}
# JSON log format, so that Lambda filters by level (Lambda guide, "Log-level filtering",
# docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html: filtering
# needs the JSON format). System logs at WARN: Lambda sends those at the chosen level and
# less detailed, and by the page's system log-level event mapping a successful
# invocation's platform.start and platform.report (Text's START and REPORT) are INFO, its
# platform.runtimeDone (END) DEBUG: none is written, about 350 bytes an invocation. A
# failed or timed-out invocation's report is WARN and still is; the API's access line
# keeps the integration's error, and the alarms read AWS/Lambda's metrics (Errors,
# Throttles, Duration), which no log level touches.
SYSTEM_LOG_LEVEL = "WARN"
# Application logs at INFO, neither more nor less. The function writes its own JSON lines
# to stdout (visitor_counter.telemetry); Lambda structures only the logging module's
# records and "doesn't double-encode any logs that are already JSON encoded" (Lambda
# guide, "Configuring JSON and plain text log formats", ...monitoring-cloudwatchlogs-
# logformat.html), so each line reaches CloudWatch as written and stays an EMF document
# (CloudWatch guide, "Specification: Embedded metric format": on Lambda, JSON on stdout
# is enough). But Lambda reads such a line's "level" to filter it, and files a line
# whose level is missing or invalid, or that has no RFC 3339 "timestamp", as INFO (the
# log-level page): that is every line the function writes, metrics-only ones included.
# Any level above INFO would drop them and their metrics. Below INFO, the Python
# runtime sets the root logger to DEBUG (awslambdaric's bootstrap sets it from
# AWS_LAMBDA_LOG_LEVEL) and botocore would log every DynamoDB call.
APPLICATION_LOG_LEVEL = "INFO"


@dataclass(frozen=True)
class FunctionTables:
    """The tables the function reads and writes, as the stack made them."""

    counter: CounterTable
    daily: DailyTable
    history: HistoryTable

    def resources(self, log_streams: str) -> FunctionResources:
        """What the function's grants name: these tables, their indexes, its log streams."""
        return FunctionResources(
            table=self.counter.arn,
            daily_table=self.daily.arn,
            history_table=self.history.arn,
            history_indexes=self.history.pages_by_day_index_arn,
            live_days_index=self.counter.live_days_index_arn,
            log_streams=log_streams,
        )


class CounterFunction(Construct):
    """arm64 python3.13 Lambda from the packaged zip, allowed its site's items of its tables.

    Named, sized and traced as `config` says: the config is the one authority on the
    function's name, its role's name (which the CI roles' iam:PassRole names too) and its
    site id (which its grants hold it to).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        zip_path: Path,
        tables: FunctionTables,
        environment: Mapping[str, str],
        roles: FunctionRoles | None = None,
    ) -> None:
        """`roles`: the stage's roles, made by the CI stack; None makes them here."""
        super().__init__(scope, id_)
        self.log_group = CloudwatchLogGroup(
            self,
            "logs",
            name=f"/aws/lambda/{config.function_name}",
            retention_in_days=config.log_retention_days,
        )
        accept_findings(self.log_group, LOG_GROUP_FINDINGS)
        # The roles: the ones the CI stack made, or ones made here.
        roles = roles or function_role(
            self,
            name=config.function_role_name,
            resources=tables.resources(log_streams=f"{self.log_group.arn}:*"),
            site_ids=config.site_ids,
            tracing=config.tracing,
            sites_role_name=config.sites_role_name,
        )
        self.role_arn = roles.role_arn
        self.sites_role_arn = roles.sites_role_arn
        self._grants = roles.grants
        if roles.sites_role_arn:
            environment = {
                **environment,
                **deployed_environment(sites_role_arn=roles.sites_role_arn),
            }
        self.function = self._function(config, zip_path, environment)
        accept_findings(self.function, FUNCTION_FINDINGS)

    def _function(
        self, config: AppConfig, zip_path: Path, environment: Mapping[str, str]
    ) -> LambdaFunction:
        """The function itself, logging to the group above."""
        # Copied into the synthesized stack, so the plan never names this machine's paths.
        code = TerraformAsset(self, "code", path=str(zip_path.resolve()), type=AssetType.FILE)
        return LambdaFunction(
            self,
            "function",
            function_name=config.function_name,
            role=self.role_arn,
            handler=HANDLER,
            runtime=RUNTIME,
            architectures=[ARCHITECTURE],
            filename=code.path,
            source_code_hash=zip_sha256_base64(zip_path),
            memory_size=config.lambda_memory_mb,
            tracing_config=LambdaFunctionTracingConfig(
                mode="Active" if config.tracing else "PassThrough"
            ),
            timeout=config.lambda_timeout_s,
            reserved_concurrent_executions=config.lambda_reserved_concurrency,
            environment=LambdaFunctionEnvironment(variables=dict(environment)),
            logging_config=LambdaFunctionLoggingConfig(
                log_format="JSON",
                log_group=self.log_group.name,
                system_log_level=SYSTEM_LOG_LEVEL,
                application_log_level=APPLICATION_LOG_LEVEL,
            ),
            # Its grants first: a new site's first request finds its session allowed.
            depends_on=[self.log_group, *self._grants],
            # moto does not return logging_config, so locally every plan would re-add it.
            lifecycle=(
                TerraformResourceLifecycle(ignore_changes=["logging_config"])
                if config.emulated
                else None
            ),
        )
