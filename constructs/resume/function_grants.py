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


@dataclass(frozen=True)
class FunctionResources:
    """The ARNs the grants name, by kind: references in the stack, patterns in the boundary."""

    table: str
    daily_table: str
    history_table: str
    history_indexes: str
    live_days_index: str
    log_streams: str


@dataclass(frozen=True)
class Grant:
    """One statement: its actions, the kinds of resource it names, and a condition.

    `own_site_items`: the item actions are held to the site's own items (LeadingKeys).
    `tracing_only`: the role gets it only with `tracing = true`; the boundary always allows it.
    """

    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]  # FunctionResources fields; () for X-Ray's only resource, '*'
    own_site_items: bool = False
    tracing_only: bool = False

    def arns(self, resources: FunctionResources) -> list[str]:
        """The grant's resources as ARNs."""
        return [getattr(resources, kind) for kind in self.resources] or ["*"]


GRANTS: Final = (
    Grant("CountVisits", ITEM_ACTIONS, ("table",), own_site_items=True),
    Grant("DailyItems", DAILY_ITEM_ACTIONS, ("daily_table",), own_site_items=True),
    Grant("HistoryItems", HISTORY_ITEM_ACTIONS, ("history_table",), own_site_items=True),
    Grant("QueryPagesByDay", INDEX_ACTIONS, ("history_indexes", "live_days_index")),
    Grant("WriteOwnLogs", LOG_ACTIONS, ("log_streams",)),
    # X-Ray has no resource-level permissions: '*' is the only resource it takes.
    Grant("WriteTraces", TRACE_ACTIONS, (), tracing_only=True),
)


def own_site_keys(site_ids: Sequence[str]) -> list[str]:
    """The partition keys the sites' items have: "{site}" and "{site}#..." of each."""
    return [key for site in site_ids for key in (site, f"{site}#*")]


def policy_statements(
    resources: FunctionResources, site_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """Every grant as an IAM JSON statement (the boundary's form)."""
    statements = []
    for grant in GRANTS:
        arns = grant.arns(resources)
        statement: dict[str, Any] = {
            "Sid": grant.sid,
            "Action": list(grant.actions),
            "Resource": arns[0] if len(arns) == 1 else arns,
        }
        if grant.own_site_items:
            statement["Condition"] = {OWN_SITE_TEST: {LEADING_KEYS: own_site_keys(site_ids)}}
        statements.append(statement)
    return statements
