"""The three stacks, in the order they deploy: state, frontend (site), backend (counter API)."""

from __future__ import annotations

from pathlib import Path

from cdktf import TerraformOutput, TerraformStack

from constructs import Construct
from resume.config import AppConfig
from resume.counter_alarms import CounterAlarms
from resume.counter_api import CounterApi
from resume.counter_function import CounterFunction
from resume.counter_table import CounterTable
from resume.providers import aws_provider, state_backend
from resume.site_certificate import CERTIFICATE_REGION
from resume.state_bucket import StateBucket
from resume.static_site import StaticSite
from visitor_counter import schema


class StateStack(TerraformStack):
    """The bucket every other stack keeps its state in (it bootstraps its own state)."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig) -> None:
        super().__init__(scope, id_)
        aws_provider(self, config)
        state_backend(self, config, "state")
        self.state = StateBucket(
            self,
            "state",
            bucket_name=config.state_bucket_name,
            emulated=config.emulated,
        )
        TerraformOutput(self, "state_bucket", value=self.state.bucket.bucket)


class FrontendStack(TerraformStack):
    """The static site: private bucket, CloudFront with OAC, optional custom domain."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig) -> None:
        super().__init__(scope, id_)
        aws_provider(self, config)
        state_backend(self, config, "frontend")
        certificate_provider = (
            aws_provider(self, config, region=CERTIFICATE_REGION, alias="certificates")
            if config.domain_name
            else None
        )
        self.site = StaticSite(
            self,
            f"{config.project}-{config.stage}-site",
            api_region=config.region,
            domain_name=config.domain_name,
            hosted_zone_id=config.hosted_zone_id,
            certificate_provider=certificate_provider,
            emulated=config.emulated,
        )
        TerraformOutput(self, "site_url", value=self.site.url)
        TerraformOutput(self, "bucket_name", value=self.site.bucket.bucket)
        TerraformOutput(self, "distribution_id", value=self.site.distribution.id)


class BackendStack(TerraformStack):
    """The counter: DynamoDB table, Lambda, HTTP API; CORS allows the site's origins."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        function_zip: Path,
        site: StaticSite,
    ) -> None:
        super().__init__(scope, id_)
        aws_provider(self, config)
        state_backend(self, config, "backend")
        name = f"{config.project}-{config.stage}"
        origins = [*config.allowed_origins, *site.origins]
        self.table = CounterTable(
            self, "table", table_name=config.resolved_table_name, protect=not config.emulated
        )
        self.function = CounterFunction(
            self,
            "function",
            function_name=f"{name}-counter",
            zip_path=function_zip,
            table_arn=self.table.arn,
            index_arn=self.table.top_pages_index_arn,
            site_id=schema.DEFAULT_SITE_ID,
            environment={
                "TABLE_NAME": self.table.name,
                "SITE_ID": schema.DEFAULT_SITE_ID,
                "ALLOWED_ORIGINS": ",".join(origins),
                "LOG_LEVEL": config.log_level,
            },
            memory_mb=config.lambda_memory_mb,
            timeout_s=config.lambda_timeout_s,
            reserved_concurrency=config.lambda_reserved_concurrency,
            log_retention_days=config.log_retention_days,
            tracing=config.tracing,
            emulated=config.emulated,
        )
        self.api = CounterApi(
            self,
            "api",
            api_name=f"{name}-api",
            function=self.function.function,
            burst_limit=config.throttle_burst_limit,
            rate_limit_rps=config.throttle_rate_limit_rps,
            log_retention_days=config.log_retention_days,
        )
        self.alarms = CounterAlarms(
            self,
            "alarms",
            name=name,
            region=config.region,
            function_name=self.function.function.function_name,
            api_id=self.api.api.id,
            table_name=self.table.name,
            site_id=schema.DEFAULT_SITE_ID,
            alarm_email=config.alarm_email,
        )
        TerraformOutput(self, "api_url", value=self.api.url)
        TerraformOutput(self, "alarm_topic_arn", value=self.alarms.topic.arn)
        TerraformOutput(self, "table_name", value=self.table.name)
        TerraformOutput(self, "function_name", value=self.function.function.function_name)
