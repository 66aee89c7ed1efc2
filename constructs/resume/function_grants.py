"""What the counter function's role may do, in one table.

The role's own policy (resume.counter_function) and the permissions boundary that caps every
role a stage's deploy creates (resume.ci_roles) are both rendered from GRANTS, so the two can
never differ: a deploy cannot mint a role its boundary denies, nor a boundary wider than the
role needs. Each grant names its resources by kind; each side supplies the ARNs it knows (the
stack its resources' references, the boundary the stage's ARN patterns).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from visitor_counter import schema

# The DynamoDB item actions the handler calls, and only on its site's items: keys are
# "{site}" or "{site}#...". Counter table: counts, live days and the known-pages list.
# The top pages are read by key, a BatchGetItem per 100.
ITEM_ACTIONS: Final = ("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem")
# Daily table: salts (made with PutItem, past days' swept with BatchWriteItem) and clients.
DAILY_ITEM_ACTIONS: Final = (
    "dynamodb:BatchWriteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
)
INDEX_ACTIONS: Final = ("dynamodb:Query",)
# History table: a page's past day arrives in the move's transaction (UpdateItem is what
# TransactWriteItems asks of each Update in it), a few views add to the site's day, the
# daily ceiling reads the site's day's estimate; the stats query them.
HISTORY_ITEM_ACTIONS: Final = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem")
LOG_ACTIONS: Final = ("logs:CreateLogStream", "logs:PutLogEvents")
TRACE_ACTIONS: Final = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
# The condition that keeps item actions on the site's own items: every key the request
# names must match one of the site's.
OWN_SITE_TEST: Final = "ForAllValues:StringLike"
LEADING_KEYS: Final = "dynamodb:LeadingKeys"
# Each other site's items are reached with a session of the sites role tagged with the
# site's id (visitor_counter.site_sessions): the function's role may ask for such sessions
# only, with that one tag and one of the other sites' ids as its value.
SESSION_ACTIONS: Final = ("sts:AssumeRole", "sts:TagSession")
SESSION_TAG_VALUE: Final = f"aws:RequestTag/{schema.SITE_SESSION_TAG}"
SESSION_TAG_KEYS: Final = "aws:TagKeys"
# The sites role's own items: its session's tag, never a list of sites. `&{…}` is the
# Terraform policy document's spelling of IAM's `${…}` (which Terraform would interpolate).
TAGGED_SITE_KEYS: Final = (
    f"&{{aws:PrincipalTag/{schema.SITE_SESSION_TAG}}}",
    f"&{{aws:PrincipalTag/{schema.SITE_SESSION_TAG}}}#*",
)
Condition = tuple[str, str, list[str]]  # (test, variable, values)


@dataclass(frozen=True)
class FunctionResources:
    """The ARNs the grants name, by kind: references in the stack, patterns in the boundary."""

    table: str
    daily_table: str
    history_table: str
    history_indexes: str
    live_days_index: str
    log_streams: str
    # The sites role (other sites' sessions); "" without other sites.
    sites_role: str = ""


@dataclass(frozen=True)
class Grant:
    """One statement: its actions, the kinds of resource it names, and a condition.

    `own_site_items`: the item actions are held to the site's own items (LeadingKeys).
    `tracing_only`: the role gets it only with `tracing = true`; the boundary always allows it.
    `site_sessions`: the sites role's tagged sessions; granted only with other sites.
    """

    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]  # FunctionResources fields; () for X-Ray's only resource, '*'
    own_site_items: bool = False
    tracing_only: bool = False
    site_sessions: bool = False

    def arns(self, resources: FunctionResources) -> list[str]:
        """The grant's resources as ARNs."""
        return [getattr(resources, kind) for kind in self.resources] or ["*"]


GRANTS: Final = (
    Grant("CountVisits", ITEM_ACTIONS, ("table",), own_site_items=True),
    Grant("DailyItems", DAILY_ITEM_ACTIONS, ("daily_table",), own_site_items=True),
    Grant("HistoryItems", HISTORY_ITEM_ACTIONS, ("history_table",), own_site_items=True),
    # The indexes' partitions are the site's too ("{site}", "{site}#{n}"): where IAM reads
    # an index query's partition key as its leading key, it holds; where not, nothing is
    # named, and ForAllValues over no values passes.
    Grant(
        "QueryPagesByDay",
        INDEX_ACTIONS,
        ("history_indexes", "live_days_index"),
        own_site_items=True,
    ),
    Grant("WriteOwnLogs", LOG_ACTIONS, ("log_streams",)),
    # X-Ray has no resource-level permissions: '*' is the only resource it takes.
    Grant("WriteTraces", TRACE_ACTIONS, (), tracing_only=True),
    Grant("AssumeSiteSessions", SESSION_ACTIONS, ("sites_role",), site_sessions=True),
)
# What the sites role may do: the item grants, each held to its session's site.
SITE_SESSION_GRANTS: Final = tuple(grant for grant in GRANTS if grant.own_site_items)


def own_site_keys(site_ids: Sequence[str]) -> list[str]:
    """The partition keys the sites' items have: "{site}" and "{site}#..." of each."""
    return [key for site in site_ids for key in (site, f"{site}#*")]


def granted(grant: Grant, site_ids: Sequence[str], *, tracing: bool) -> bool:
    """Whether the function's role has `grant`: traces with tracing, sessions with sites."""
    return (tracing or not grant.tracing_only) and (len(site_ids) > 1 or not grant.site_sessions)


def grant_conditions(
    grant: Grant, site_ids: Sequence[str], *, boundary: bool = False
) -> list[Condition]:
    """The conditions of `grant`'s statement in the function's role, or in its `boundary`.

    Item actions: every key is the first site's (the role's), or any site's (the boundary's,
    which caps the sites role too). Sessions: tagged with one tag, `site`, whose value is one
    of the other sites' ids.
    """
    if grant.own_site_items:
        return [
            (OWN_SITE_TEST, LEADING_KEYS, own_site_keys(site_ids if boundary else site_ids[:1]))
        ]
    if grant.site_sessions:
        return [
            ("StringEquals", SESSION_TAG_VALUE, list(site_ids[1:])),
            ("ForAllValues:StringEquals", SESSION_TAG_KEYS, [schema.SITE_SESSION_TAG]),
        ]
    return []


def condition_json(conditions: Sequence[Condition]) -> dict[str, dict[str, list[str]]]:
    """Conditions as an IAM JSON statement's Condition: {test: {variable: values}}."""
    found: dict[str, dict[str, list[str]]] = {}
    for test, variable, values in conditions:
        found.setdefault(test, {})[variable] = values
    return found


def policy_statements(
    resources: FunctionResources, site_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """Every grant as an IAM JSON statement (the boundary's form, which allows traces)."""
    statements = []
    for grant in GRANTS:
        if not granted(grant, site_ids, tracing=True):
            continue
        arns = grant.arns(resources)
        statement: dict[str, Any] = {
            "Sid": grant.sid,
            "Action": list(grant.actions),
            "Resource": arns[0] if len(arns) == 1 else arns,
        }
        conditions = condition_json(grant_conditions(grant, site_ids, boundary=True))
        if conditions:
            statement["Condition"] = conditions
        statements.append(statement)
    return statements
