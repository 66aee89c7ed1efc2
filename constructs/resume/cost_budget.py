"""A monthly cost budget that notifies the alarm topic: the spending guard.

AWS Budgets sees the account's bill, not a stack's: scoping it to this stack would need
cost-allocation tags activated by hand in the Billing console, and an unactivated tag
filter silently matches nothing. So the budget watches the account's total cost, which for
an account that hosts only this site is the site's cost, and says so in its name.
"""

from __future__ import annotations

from cdktf_cdktf_provider_aws.budgets_budget import BudgetsBudget, BudgetsBudgetNotification

from constructs import Construct

BUDGETS = "budgets.amazonaws.com"
# Notify at 80% of the limit actually spent, and when the month's forecast passes it.
ACTUAL_PERCENT = 80
FORECAST_PERCENT = 100


def budget_name(prefix: str) -> str:
    """The budget's name: the stage's prefix, and what it measures."""
    return f"{prefix}-account-monthly-cost"


def monthly_budget(scope: Construct, *, prefix: str, limit_usd: float, topic_arn: str) -> None:
    """The account's monthly cost budget, alerting `topic_arn` at 80% actual, 100% forecast."""
    BudgetsBudget(
        scope,
        "budget",
        name=budget_name(prefix),
        budget_type="COST",
        limit_amount=f"{limit_usd:.2f}",
        limit_unit="USD",
        time_unit="MONTHLY",
        notification=[
            BudgetsBudgetNotification(
                notification_type=kind,
                comparison_operator="GREATER_THAN",
                threshold=percent,
                threshold_type="PERCENTAGE",
                subscriber_sns_topic_arns=[topic_arn],
            )
            for kind, percent in (("ACTUAL", ACTUAL_PERCENT), ("FORECASTED", FORECAST_PERCENT))
        ],
    )
