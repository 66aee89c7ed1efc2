"""The monthly cost model (docs/observability.md): usage from what the tests count, times prices.

Each month's usage is built from quantities the code and tests pin: the write units a view
costs (tests/function/test_round_trips.py counts the updates; the indexes' writes follow
the tables' keys), the bytes of each log line (the function's own line is rendered here from
its code), the API requests and invocations. Prices are AWS's public us-east-1 list prices
(eu-west-2 is about 10% higher) as checked on PRICES_CHECKED. Two totals: at list price, and
after the always-free tiers (per account and month, not the 12-month offers), which a
site's account may already spend elsewhere. Change a price or a count here and
`tests/tooling/test_cost_table.py` asks for the page to follow.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from typing import Final

from resume.capacity import WARM_INVOCATION_S
from resume.config import AppConfig
from resume.counter_api import ACCESS_LOG_FORMAT
from resume.route_throttles import route_throttles
from visitor_counter.schema import TOP_PAGES_FOR_S
from visitor_counter.settings import Settings
from visitor_counter.telemetry import RequestRecord, request_line
from visitor_counter.visitors import CEILING_LOOK_S

PRICES_CHECKED: Final = "2026-11-26"
MONTH_S: Final = 30 * 24 * 3600
MONTHLY_VIEWS: Final = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)


@dataclass(frozen=True)
class Usage:
    """What a month uses, in the units AWS bills."""

    api_requests: float = 0  # HTTP API, per request (512 KB increments: ours are small)
    lambda_requests: float = 0
    lambda_gb_s: float = 0  # arm64, INIT included (billed since August 2025)
    write_units: float = 0  # DynamoDB on-demand
    read_units: float = 0
    log_gb: float = 0  # CloudWatch Logs ingestion (26 bytes of overhead per event)
    cloudfront_requests: float = 0  # HTTPS requests to the site
    edge_function_runs: float = 0  # the CloudFront Function, on every site request
    custom_metrics: float = 0  # the function's EMF metrics, per metric and month
    alarm_metrics: float = 0  # per alarm metric and month
    kms_keys: float = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def times(self, factor: float) -> Usage:
        """The same usage, `factor` times over."""
        return Usage(**{f.name: getattr(self, f.name) * factor for f in fields(self)})


# Dollars per unit of each Usage field.
PRICES: Final = Usage(
    api_requests=1.00 / 1e6,
    lambda_requests=0.20 / 1e6,
    lambda_gb_s=0.0000133334,
    write_units=0.625 / 1e6,  # since the November 2024 price cut
    read_units=0.125 / 1e6,
    log_gb=0.50,
    cloudfront_requests=1.00 / 1e6,  # $0.0100 per 10,000 HTTPS requests
    edge_function_runs=0.10 / 1e6,
    custom_metrics=0.30,
    alarm_metrics=0.10,
    kms_keys=1.00,
)
# What every account gets each month for free, for good (not the first year's offers: the
# HTTP API's 1 M requests are one of those, so none is subtracted; on-demand DynamoDB has
# no free requests).
ALWAYS_FREE: Final = Usage(
    lambda_requests=1e6,
    lambda_gb_s=400_000,
    log_gb=5,
    cloudfront_requests=10e6,
    edge_function_runs=2e6,
    custom_metrics=10,
    alarm_metrics=10,
)

# A counted view: one API request, one invocation, two updates (the client's item, the
# page's item with its live day), each under 1 KB while the day is young. No index entry
# moves: the live-days index holds keys a view does not change (an index sorted by views
# would move a page's entry on every view, two more units; each view also writing its
# page's day and the site's day in the history, and that day's index entry, three more).
UPDATES_PER_VIEW: Final = 2
INDEX_WRITES_PER_VIEW: Final = 0
# A page's first view of a day writes more, once a page and day (visitor_counter.live_pages):
# the refused update (billed like any write), then one transaction, which DynamoDB bills
# twice, of the page's item, the history's page day and the site's day (2 + 2 + 2 units
# where a view writes 1), the live-days index's entry moved (a delete and a put: 2) and the
# pages-by-day entry (1).
PAGE_DAY_STORED_UNITS: Final = 1 + 1 + 1 + 1 + 2 + 1  # what the stored items show, client's too
PAGE_DAY_EXTRA_UNITS: Final = PAGE_DAY_STORED_UNITS - UPDATES_PER_VIEW + 1 + 3
# Pages a day's views spread over (a personal site's): its page days a month are at most
# this many a day, and never more than its views.
PAGES_VIEWED_A_DAY: Final = 20
# The daily ceiling's estimate: each container adds its views this many at a time.
ESTIMATE_WEIGHT: Final = AppConfig().capacity.estimate_weight
LAMBDA_MEMORY_GB: Final = AppConfig.lambda_memory_mb / 1024
WARM_BILLED_S: Final = WARM_INVOCATION_S
COLD_INIT_S: Final = 0.45  # the runtime, botocore's DynamoDB model, the crawler rules
# Lambda recycles an idle container within minutes: at a few views an hour nearly every
# view is a cold start; past about one a minute, a warm container takes most of them.
COLD_STARTS_MAX: Final = MONTH_S / 600
# The site's requests per page view: the page, its stylesheet, counter.js and its
# config.json (CloudFront caches them, but every request is billed and runs the function).
SITE_REQUESTS_PER_VIEW: Final = 4
# The view's own request reaches the API through the site's /api/ (resume.static_site): one
# more CloudFront request and one run of the /api function, the counter's.
API_REQUESTS_THROUGH_SITE: Final = 1
# Lambda's own lines per invocation: none. The function logs in the JSON format with its
# system logs at WARN (resume.counter_function), and a successful invocation's start and
# report are INFO, its runtimeDone DEBUG (in the Text format START, END and REPORT were
# 272 bytes). A cold start's few extra bytes (the line's "cold_start", botocore's INFO line
# on finding its credentials) come at most COLD_STARTS_MAX times a month: left out.
PLATFORM_LOG_BYTES: Final = 0
# The API's access log line, ACCESS_LOG_FORMAT with each variable's value for a counted
# page view; a variable the format gains without a value here fails the import.
ACCESS_LOG_VALUES: Final = {
    "$context.requestId": "JpsXAhGjoAMEJ6Q=",  # an HTTP API's request ids: 16 characters
    "$context.routeKey": "ANY /pages/{page+}",
    "$context.status": "200",
    "$context.integrationErrorMessage": "-",  # API Gateway logs an empty variable as "-"
}
ACCESS_LOG_BYTES: Final = len(
    re.sub(r"\$context\.[\w.]+", lambda m: ACCESS_LOG_VALUES[m[0]], ACCESS_LOG_FORMAT).encode()
)
LOG_EVENT_OVERHEAD: Final = 26
LOG_EVENTS_PER_REQUEST: Final = 1 + 1  # the function's line, the access log's
# Fixed: the function's six EMF metrics; the alarms' nine metrics (the 5xx-rate alarm has
# two); with encrypt_alarm_topic (off by default) the topic's own key. Dashboards (up to
# 3), two budgets and SNS's first 1,000 e-mails are free.
CUSTOM_METRICS: Final = 6
ALARM_METRICS: Final = 9
# The day's salt: one PutItem, and a BatchWriteItem deleting the past week's (a delete is
# billed whether or not the item is there).
SALT_WRITES_A_MONTH: Final = (1 + 7) * 30


def function_log_bytes() -> int:
    """The function's line for a counted view at the default LOG_LEVEL, as it writes it."""
    record = RequestRecord(
        request_id="c0ffee00-1111-2222-3333-444455556666",
        route="POST /pages/{page+}",
        status=200,
        latency_ms=12.345,
        cold_start=False,
        outcome="counted",
        new_visitor=True,
    )
    defaults = Settings()
    document = request_line(record, defaults.site_id, defaults.log_level, 1_764_662_400_000)
    return len(json.dumps(document, separators=(",", ":"))) + 1


def log_bytes_per_request() -> int:
    """The bytes of logs one invocation ingests: its lines, and CloudWatch's per event."""
    return (
        function_log_bytes()
        + PLATFORM_LOG_BYTES
        + ACCESS_LOG_BYTES
        + LOG_EVENTS_PER_REQUEST * LOG_EVENT_OVERHEAD
    )


def view_usage(views: float) -> Usage:
    """What `views` counted page views a month use (cold starts included)."""
    cold = min(views, COLD_STARTS_MAX)
    return Usage(
        api_requests=views,
        lambda_requests=views,
        lambda_gb_s=LAMBDA_MEMORY_GB * (views * WARM_BILLED_S + cold * COLD_INIT_S),
        write_units=views * (UPDATES_PER_VIEW + INDEX_WRITES_PER_VIEW + 1 / ESTIMATE_WEIGHT)
        + min(views, PAGES_VIEWED_A_DAY * 30) * PAGE_DAY_EXTRA_UNITS,
        log_gb=views * log_bytes_per_request() / 1e9,
        cloudfront_requests=views * (SITE_REQUESTS_PER_VIEW + API_REQUESTS_THROUGH_SITE),
        edge_function_runs=views * (SITE_REQUESTS_PER_VIEW + API_REQUESTS_THROUGH_SITE),
    )


def fixed_usage(*, topic_key: bool = False, sites: int = 1) -> Usage:
    """What the stack uses a month with no traffic.

    `topic_key`: with encrypt_alarm_topic; `sites`: the sites it counts (each has its own six
    metrics, by their Site dimension).
    """
    return Usage(
        custom_metrics=CUSTOM_METRICS * sites,
        alarm_metrics=ALARM_METRICS,
        kms_keys=int(topic_key),
        write_units=SALT_WRITES_A_MONTH,
    )


def dollars(usage: Usage, *, free: Usage | None = None) -> float:
    """What `usage` costs, less the `free` amounts (none by default)."""
    free = free or Usage()
    return float(
        sum(
            max(0.0, getattr(usage, f.name) - getattr(free, f.name)) * getattr(PRICES, f.name)
            for f in fields(Usage)
        )
    )


@dataclass(frozen=True)
class MonthlyCost:
    """One row: views a month, and what they and the stack cost."""

    views: int
    traffic_usd: float
    fixed_usd: float
    after_free_tiers_usd: float

    @property
    def total_usd(self) -> float:
        """The month's bill for the counter at list price."""
        return self.traffic_usd + self.fixed_usd


def monthly_cost(views: int) -> MonthlyCost:
    """The default deployment's month at `views` counted page views."""
    traffic, fixed = view_usage(views), fixed_usage()
    return MonthlyCost(
        views=views,
        traffic_usd=dollars(traffic),
        fixed_usd=dollars(fixed),
        after_free_tiers_usd=dollars(traffic + fixed, free=ALWAYS_FREE),
    )


def per_million_views_usd() -> float:
    """What a million more views cost at list price, past the cold starts' ceiling."""
    return dollars(view_usage(2e6)) - dollars(view_usage(1e6))


def counter_per_million_views_usd() -> float:
    """The same, for the counter alone (the site's own CloudFront requests left out)."""
    return per_million_views_usd() - dollars(_site(1e6))


# The worst an abuser can force at the default limits: every route at its own sustained
# rate all month (resume.route_throttles), each request as dear as it can be made. A page
# route's request a counted view (a forged Origin and User-Agent, a new address for each
# client limit) with every item at its bound: the client's ~9 KB (200 pages a day), the
# page's item ~7 KB (its live day's 50 sources), written twice when its source is refused
# (a refused conditional write is billed by the item's size too): 9 + 14 units, the site's
# day's for a made-up page past the day's cap (1) and the estimate's (1 at most); a made-up
# page's first view costs less (its item is new and small), a page's new day is once a
# page and day; but only max_views_per_day of them a day (and the views a
# container counts in the minute before it looks again): the rest are answered 503 without
# a write, or read a page's counts (half a unit). `/` adds to the site total (1 unit,
# counted as if it never met a closed container); a stats request without a token reads
# the token's hash (half a unit); the top list reads its TOP_LIST_PAGES listed pages (half
# a unit each) once a minute per container and after each counted view.
ABUSE_WRITE_UNITS: Final = {"ANY /pages/{page+}": 9 + 14 + 1 + 1, "ANY /": 1}
ABUSE_READ_UNITS: Final = {"ANY /stats/{route+}": 0.5, "ANY /pages/{page+}": 0.5}
TOP_LIST_PAGES: Final = 100  # a site's listed pages, assumed
COUNTED_ROUTE: Final = "ANY /pages/{page+}"


def abuse_usage() -> Usage:
    """A month of the most expensive traffic the default throttles and ceiling let through."""
    throttles = route_throttles(AppConfig.throttle_burst_limit, AppConfig.throttle_rate_limit_rps)
    containers = AppConfig.lambda_reserved_concurrency
    # A container counts at most a minute of its share of the page route before it looks.
    late = containers * throttles[COUNTED_ROUTE].rate_rps * CEILING_LOOK_S
    page_requests = throttles[COUNTED_ROUTE].rate_rps * MONTH_S
    counted_a_month = min((AppConfig.max_views_per_day + late) * 30, page_requests)
    top_refreshes = counted_a_month + containers * (MONTH_S / TOP_PAGES_FOR_S)
    total = Usage(read_units=top_refreshes * TOP_LIST_PAGES * 0.5)
    for route, throttle in throttles.items():
        requests = throttle.rate_rps * MONTH_S
        # The page route writes for its counted views and reads a page's counts for the rest.
        writing = counted_a_month if route == COUNTED_ROUTE else requests
        reading = requests - counted_a_month if route == COUNTED_ROUTE else requests
        total += Usage(
            api_requests=requests,
            lambda_requests=requests,
            lambda_gb_s=LAMBDA_MEMORY_GB * requests * WARM_BILLED_S,
            write_units=writing * ABUSE_WRITE_UNITS.get(route, 0),
            read_units=reading * ABUSE_READ_UNITS.get(route, 0),
            log_gb=requests * log_bytes_per_request() / 1e9,
            # Through the site's /api/: CloudFront bills each request and its function run
            # (the API's throttle answers what it refuses; CloudFront has no throttle).
            cloudfront_requests=requests,
            edge_function_runs=requests,
        )
    return total


def _site(views: float) -> Usage:
    """The site's own CloudFront requests for `views` (the page and its files)."""
    return Usage(
        cloudfront_requests=views * SITE_REQUESTS_PER_VIEW,
        edge_function_runs=views * SITE_REQUESTS_PER_VIEW,
    )


def cost_table() -> str:
    """The Markdown table docs/observability.md shows."""
    lines = [
        "| views a month | counter | site (CloudFront) | fixed | total at list price "
        "| after the always-free tiers |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for views in MONTHLY_VIEWS:
        row = monthly_cost(views)
        site = dollars(_site(views))
        lines.append(
            f"| {views:,} | ${row.traffic_usd - site:.2f} | ${site:.2f} | ${row.fixed_usd:.2f} "
            f"| **${row.total_usd:.2f}** | ${row.after_free_tiers_usd:.2f} |"
        )
    abuse = abuse_usage()
    lines.append(
        f"| worst case at the default throttles ({abuse.api_requests / 1e6:,.0f} M requests) "
        f"| ${dollars(abuse):,.0f} | | ${dollars(fixed_usage()):.2f} "
        f"| **${dollars(abuse + fixed_usage()):,.0f}** "
        f"| ${dollars(abuse + fixed_usage(), free=ALWAYS_FREE):,.0f} |"
    )
    return "\n".join(lines)
