"""The stacks: per stage, state, frontend (site) and backend (counter API), in deploy order.

Per account, the CI identity stack that GitHub Actions deploys through.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition

from constructs import Construct
from resume.api_origin import ApiOrigin, OriginSecret, api_host
from resume.ci_roles import Account, GitHubRoles
from resume.config import KNOWN_STAGES, AppConfig
from resume.cost_budget import monthly_budget
from resume.counter_alarms import CounterAlarms
from resume.counter_api import CounterApi
from resume.counter_function import CounterFunction, FunctionTables
from resume.counter_table import CounterTable
from resume.daily_table import DailyTable
from resume.function_role import LAPTOP_MADE_ROLE, FunctionRoles
from resume.github_oidc import github_oidc_provider
from resume.history_table import HistoryTable
from resume.known_pages_item import KnownPagesItem
from resume.outputs import BackendOutputs, CiOutputs, FrontendOutputs, Outputs, StateOutputs
from resume.providers import aws_provider, state_backend
from resume.site_certificate import CERTIFICATE_REGION
from resume.site_pages import (
    extensionless_style,
    site_error_page,
    site_event_names,
    site_link_targets,
    site_page_ids,
)
from resume.state_bucket import StateBucket
from resume.static_site import StaticSite
from visitor_counter import schema
from visitor_counter.settings import deployed_environment


class StateStack(TerraformStack):
    """The bucket every other stack keeps its state in (it bootstraps its own state)."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig) -> None:
        super().__init__(scope, id_)
        aws_provider(self, config)
        state_backend(self, config, config.state_key("state"))
        self.state = StateBucket(
            self,
            "state",
            bucket_name=config.state_bucket_name,
            emulated=config.emulated,
        )
        write_outputs(self, StateOutputs(state_bucket=self.state.bucket.bucket))


class FrontendStack(TerraformStack):
    """The static site: private bucket, CloudFront with OAC, optional custom domain.

    Its `/api/*` goes to the backend's API, so it is deployed after the backend.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        project_root: Path,
        api: ApiOrigin,
    ) -> None:
        """Build the site, its distribution serving `api` (the backend's API) at /api/.

        `project_root`: where config.site_dir is, whose 404 page the distribution serves.
        """
        super().__init__(scope, id_)
        aws_provider(self, config)
        state_backend(self, config, config.state_key("frontend"))
        certificate_provider = (
            aws_provider(self, config, region=CERTIFICATE_REGION, alias="certificates")
            if config.domain_name
            else None
        )
        self.site = StaticSite(
            self,
            f"{config.stage_name}-site",
            domain_name=config.domain_name,
            hosted_zone_id=config.hosted_zone_id,
            certificate_provider=certificate_provider,
            emulated=config.emulated,
            # Generated names start "<project>-<stage>-", within the deploy role's S3 scope.
            bucket_prefix=config.prefix,
            error_page=site_error_page(project_root / config.site_dir),
            canonical_host=config.canonical_host,
            content_security_policy=config.site_csp,
            extensionless=extensionless_style(project_root / config.site_dir),
            hsts_preload=config.hsts_preload,
            api=api,
        )
        write_outputs(
            self,
            FrontendOutputs(
                site_url=self.site.url,
                bucket_name=self.site.bucket.bucket,
                distribution_id=self.site.distribution.id,
                viewer_function=self.site.viewer_function.name,
                api_function=self.site.api_function.name,
                error_page=self.site.error_page,
            ),
        )


class BackendStack(TerraformStack):
    """The counter: DynamoDB tables, Lambda, HTTP API; CORS allows the configured origins.

    Built in the order Terraform needs them: tables, the function that uses them, the API
    that invokes it, the alarms that watch all three, then the stack's outputs.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        function_zip: Path,
        project_root: Path,
    ) -> None:
        """`project_root`: where config.site_dir is, whose pages may be counted."""
        super().__init__(scope, id_)
        aws_provider(self, config)
        state_backend(self, config, config.state_key("backend"))
        self.tables = self._tables(config, project_root)
        self.origin_secret = OriginSecret(self, "origin-secret")
        self.function = CounterFunction(
            self,
            "function",
            config=config,
            zip_path=function_zip,
            tables=self.tables,
            environment=self._function_environment(
                config, site_event_names(project_root / config.site_dir)
            ),
            roles=self._ci_made_roles(config),
        )
        daily_policy = self.tables.daily.allow_items_only_to(
            [arn for arn in (self.function.role_arn, self.function.sites_role_arn) if arn]
        )
        # The sites role's way into the daily table comes before the function that uses it.
        if self.function.sites_role_arn:
            self.function.function.depends_on = [
                *(self.function.function.depends_on or []),
                f"{daily_policy.terraform_resource_type}.{daily_policy.friendly_unique_id}",
            ]
        self.api = CounterApi(
            self,
            "api",
            api_name=f"{config.stage_name}-api",
            function=self.function.function,
            burst_limit=config.throttle_burst_limit,
            rate_limit_rps=config.throttle_rate_limit_rps,
            log_retention_days=config.log_retention_days,
        )
        self.api_origin = ApiOrigin(domain=api_host(self.api.url), secret=self.origin_secret.value)
        self.alarms = self._alarms(config)
        write_outputs(
            self,
            BackendOutputs(
                api_url=self.api.url,
                alarm_topic_arn=self.alarms.topic.arn,
                table_name=self.tables.counter.name,
                history_table_name=self.tables.history.name,
                function_name=self.function.function.function_name,
            ),
        )

    def _tables(self, config: AppConfig, project_root: Path) -> FunctionTables:
        """The counter, daily and history tables, and the site's known pages in the first."""
        counter = CounterTable(
            self, "table", table_name=config.resolved_table_name, protect=not config.emulated
        )
        KnownPagesItem(
            self,
            "known-pages",
            table_name=counter.name,
            site_id=config.site_id,
            pages=site_page_ids(project_root / config.site_dir),
            targets=site_link_targets(project_root / config.site_dir),
            patterns=config.page_patterns,
        )
        # Each other site's pages: its globs (hosted elsewhere, no page of it is here).
        for site in config.other_sites:
            KnownPagesItem(
                self,
                f"known-pages-{site.site_id}",
                table_name=counter.name,
                site_id=site.site_id,
                pages=[],
                patterns=site.pages,
            )
        return FunctionTables(
            counter=counter,
            daily=DailyTable(
                self, "daily", table_name=schema.daily_table_name(config.resolved_table_name)
            ),
            history=HistoryTable(
                self,
                "history",
                table_name=schema.history_table_name(config.resolved_table_name),
                protect=not config.emulated,
            ),
        )

    def _function_environment(self, config: AppConfig, site_events: list[str]) -> dict[str, str]:
        """What the function reads at cold start (visitor_counter.settings.VARIABLES).

        The event names: the configuration's, and those the site's pages name (data-event).
        """
        event_names = [
            *config.event_names,
            *(n for n in site_events if n not in config.event_names),
        ]
        return deployed_environment(
            table_name=self.tables.counter.name,
            daily_table_name=self.tables.daily.name,
            history_table_name=self.tables.history.name,
            stats_access=config.stats_access,
            stats_retention_days=str(config.stats_retention_days),
            max_views_per_client_hour=str(config.max_views_per_client_hour),
            max_views_per_day=str(config.max_views_per_day),
            write_shards=str(config.write_shards),
            event_names=",".join(event_names),
            site_id=config.site_id,
            **config.sites_environment,
            log_level=config.log_level,
            origin_secret=self.origin_secret.value,
        )

    def _ci_made_roles(self, config: AppConfig) -> FunctionRoles | None:
        """Deployed from GitHub, the function's roles are the CI stack's (resume.function_role).

        A stack that made the role itself before forgets it without deleting it: the CI
        stack adopts the same role at the next `nox -s bootstrap`.
        """
        if not config.github_repo:
            return None
        forget_without_destroying(self, LAPTOP_MADE_ROLE)
        account = ci_account(self, "account")
        return FunctionRoles(
            role_arn=account.role_arn(config.function_role_name),
            sites_role_arn=account.role_arn(config.sites_role_name) if config.other_sites else "",
        )

    def _alarms(self, config: AppConfig) -> CounterAlarms:
        """The alarms on the function, the API and the table, and the monthly budget."""
        alarms = CounterAlarms(
            self,
            "alarms",
            name=config.stage_name,
            region=config.region,
            function_name=self.function.function.function_name,
            api_id=self.api.api.id,
            table_name=self.tables.counter.name,
            history_table_name=self.tables.history.name,
            site_id=config.site_id,
            alarm_email=config.alarm_email,
            request_alarm_per_5min=config.request_alarm_per_5min,
            encrypt_topic=config.encrypt_alarm_topic,
        )
        # moto has no Budgets tagging, which the provider's default tags need: the local cloud
        # goes without (the synthesized budget is tested).
        if config.monthly_budget_usd > 0 and not config.emulated:
            monthly_budget(
                self,
                prefix=config.stage_name,
                limit_usd=config.monthly_budget_usd,
                topic_arn=alarms.topic.arn,
            )
        return alarms


class CiStack(TerraformStack):
    """GitHub Actions' way in: the OIDC provider, deploy roles per stage, the plan role.

    Applied once per account by `nox -s bootstrap` with administrator credentials, never by
    a pipeline. It keeps its state in a bucket of its own, which no stage's role can reach.
    """

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig) -> None:
        super().__init__(scope, id_)
        aws_provider(self, config)
        state_backend(self, config, config.ci_state_key)
        self.state = StateBucket(
            self, "state", bucket_name=config.ci_state_bucket_name, emulated=config.emulated
        )
        self.roles = GitHubRoles(
            self,
            "roles",
            config=config,
            stages=KNOWN_STAGES,
            provider_arn=github_oidc_provider(self, reuse=config.reuse_github_oidc_provider),
            account=ci_account(self, "ci"),
        )
        deploy_roles = {f"deploy_role_arn_{s}": r.arn for s, r in self.roles.deploy_roles.items()}
        write_outputs(
            self,
            CiOutputs(
                state_bucket=self.state.bucket.bucket,
                plan_role_arn=self.roles.plan_role.arn,
                **deploy_roles,
            ),
        )


def ci_account(scope: Construct, id_: str) -> Account:
    """The partition and account id Terraform runs in, as references."""
    return Account(
        partition=DataAwsPartition(scope, f"{id_}-partition").partition,
        account=DataAwsCallerIdentity(scope, f"{id_}-account").account_id,
    )


def forget_without_destroying(stack: TerraformStack, addresses: tuple[str, ...]) -> None:
    """Terraform `removed` blocks: drop these resources from the state, leave them in AWS."""
    stack.add_override(
        "removed", [{"from": address, "lifecycle": {"destroy": False}} for address in addresses]
    )


def write_outputs(stack: TerraformStack, outputs: Outputs) -> None:
    """One Terraform output per field of a resume.outputs class, in the fields' order."""
    for field in fields(outputs):
        TerraformOutput(stack, field.name, value=getattr(outputs, field.name))
