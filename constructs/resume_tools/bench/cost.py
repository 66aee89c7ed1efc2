"""The monthly cost table (docs/observability.md), from the round trips tests count and prices.

Prices are AWS's public us-east-1 list prices (eu-west-2 is about 10% higher), as published
in 2025 and unchanged in the copies checked offline on PRICES_CHECKED; no free tier is
subtracted except CloudFront's always-free 10 M requests and 1 TB. Change a price here and
`tests/tooling/test_cost_table.py` asks for the page to follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PRICES_CHECKED: Final = "2026-11-26"
# Per one million.
API_REQUEST: Final = 1.00  # HTTP API
LAMBDA_REQUEST: Final = 0.20
DYNAMODB_WRITE_UNIT: Final = 0.625  # on-demand, since the November 2024 price cut
# Per unit.
LAMBDA_GB_SECOND: Final = 0.0000133334  # arm64
LOG_INGEST_GB: Final = 0.50
CUSTOM_METRIC_MONTH: Final = 0.30
ALARM_METRIC_MONTH: Final = 0.10
KMS_KEY_MONTH: Final = 1.00

# One page view as deployed: one API request, one invocation, four updates (the client's
# item, the page's day, the site's day, the page's counters: tests/function/test_round_trips.py),
# two log lines. Write units, items under 1 KB: 1 each, plus the indexes' own writes: the
# pages-by-day index 1 (its projected counts change), the top-pages index 2 (its sort key,
# views, changes: DynamoDB deletes the old index entry and puts a new one).
WRITES_PER_VIEW: Final = 4 + 1 + 2
LAMBDA_MEMORY_GB: Final = 0.25
# Assumed billed duration of a warm view: four DynamoDB round trips of a few ms each.
LAMBDA_BILLED_S: Final = 0.030
LOG_BYTES_PER_VIEW: Final = 680 + 350  # the function's EMF line, the API's access log line
# Fixed: the function's six EMF metrics, alarm metrics (the 5xx-rate alarm has two), and
# with encrypt_alarm_topic (off by default) the topic's customer-managed key. Dashboards
# (up to 3) and two budgets are free.
CUSTOM_METRICS: Final = 6
ALARM_METRICS: Final = 9
MONTHLY_VIEWS: Final = (10_000, 100_000, 1_000_000)


@dataclass(frozen=True)
class MonthlyCost:
    """One row: views a month, and the dollars they cost."""

    views: int
    per_view_usd: float
    fixed_usd: float

    @property
    def total_usd(self) -> float:
        """The month's bill for the counter."""
        return self.fixed_usd + self.views * self.per_view_usd


def per_view_usd() -> float:
    """What one counted page view costs."""
    return (
        API_REQUEST / 1e6
        + LAMBDA_REQUEST / 1e6
        + LAMBDA_MEMORY_GB * LAMBDA_BILLED_S * LAMBDA_GB_SECOND
        + WRITES_PER_VIEW * DYNAMODB_WRITE_UNIT / 1e6
        + LOG_BYTES_PER_VIEW / 1e9 * LOG_INGEST_GB
    )


def fixed_usd(*, topic_key: bool = False) -> float:
    """What the stack costs a month with no traffic; `topic_key`: with encrypt_alarm_topic."""
    metrics = CUSTOM_METRICS * CUSTOM_METRIC_MONTH + ALARM_METRICS * ALARM_METRIC_MONTH
    return metrics + (KMS_KEY_MONTH if topic_key else 0.0)


def cost_table() -> str:
    """The Markdown table docs/observability.md shows."""
    rows = [MonthlyCost(views, per_view_usd(), fixed_usd()) for views in MONTHLY_VIEWS]
    lines = [
        "| page views a month | traffic | fixed | total |",
        "| --- | --- | --- | --- |",
        *(
            f"| {row.views:,} | ${row.views * row.per_view_usd:.2f} | ${row.fixed_usd:.2f} "
            f"| **${row.total_usd:.2f}** |"
            for row in rows
        ),
    ]
    return "\n".join(lines)
