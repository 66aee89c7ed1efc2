"""One JSON line per request: the structured log and the CloudWatch metrics, together.

The line is an Embedded Metric Format (EMF) document: CloudWatch Logs extracts the metrics
named under "_aws" from it, with no API call from the function, and keeps the rest of the
fields as a queryable log event. It never holds the client's IP address or User-Agent.

How much of the log a line carries depends on LOG_LEVEL; its metrics never do:

| line                               | DEBUG | INFO    | WARNING      | ERROR        |
| ---------------------------------- | ----- | ------- | ------------ | ------------ |
| routine (ROUTINE_OUTCOMES)         | full  | compact | metrics only | metrics only |
| ceiling                            | full  | full    | metrics only | metrics only |
| rejected (level WARNING)           | full  | full    | full         | metrics only |
| error (level ERROR)                | full  | full    | full         | full         |

Every line is billed by the byte in CloudWatch Logs, and a routine request's full line
repeats what the metrics say or the API's access log holds; the compact line keeps what
its metrics cannot: the outcome, and the container's cold start.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from typing import Any, Final, TextIO

NAMESPACE: Final = "CloudResume"
DIMENSION: Final = "Site"
# Metric name -> unit. Every request reports every metric (0 or 1 for the counts), so sums
# over any period are exact and alarms never see "missing data" for a quiet site.
METRICS: Final = {
    "CountedViews": "Count",
    "UniqueVisitors": "Count",
    "BotHits": "Count",
    "RejectedRequests": "Count",
    "DynamoDBErrors": "Count",
    "HandlerLatency": "Milliseconds",
}
# event: a counted event (events.py), not a view. foreign_origin / missing_origin: a
# counting request whose Origin is not allowed, or absent; all a log line says of the Origin
# (never its value). client_limit: a page view
# over its client's hourly limit. ceiling: a counting request after the site's day reached
# max_views_per_day, answered 503 without a round trip.
OUTCOMES: Final = (
    "counted", "event", "bot", "foreign_origin", "missing_origin", "client_limit", "ceiling",
    "read", "preflight",
    "rejected", "error",
)  # fmt: skip
# The expected answers to well-formed requests, many a day: at INFO their line is compact.
# A ceiling, a rejected request and an error keep their full line (request id, route,
# status, latency, error type): those are what an operator looks into.
ROUTINE_OUTCOMES: Final = frozenset(
    {
        "counted",
        "event",
        "bot",
        "foreign_origin",
        "missing_origin",
        "client_limit",
        "read",
        "preflight",
    }
)
_LEVEL_BY_OUTCOME: Final = {"rejected": "WARNING", "error": "ERROR"}
_RANK: Final = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}


@dataclass(frozen=True)
class RequestRecord:
    """What happened to one request, without anything that identifies the visitor."""

    request_id: str
    route: str
    status: int
    latency_ms: float
    cold_start: bool
    outcome: str
    error_type: str | None = None
    store_error: bool = False
    new_visitor: bool = False


def emf_document(record: RequestRecord, site_id: str, timestamp_ms: int) -> dict[str, Any]:
    """The EMF document (and log event) for one request."""
    values = {
        "CountedViews": int(record.outcome == "counted"),
        "UniqueVisitors": int(record.new_visitor),
        "BotHits": int(record.outcome == "bot"),
        "RejectedRequests": int(record.outcome == "rejected"),
        "DynamoDBErrors": int(record.store_error),
        "HandlerLatency": round(record.latency_ms, 3),
    }
    document: dict[str, Any] = {
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": [[DIMENSION]],
                    "Metrics": [{"Name": name, "Unit": unit} for name, unit in METRICS.items()],
                }
            ],
        },
        DIMENSION: site_id,
        "level": _LEVEL_BY_OUTCOME.get(record.outcome, "INFO"),
        "message": "request",
        "request_id": record.request_id,
        "route": record.route,
        "status": record.status,
        "latency_ms": round(record.latency_ms, 3),
        "cold_start": record.cold_start,
        "outcome": record.outcome,
        **values,
    }
    if record.error_type:
        document["error_type"] = record.error_type
    return document


def metrics_only(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its log fields: what a line below LOG_LEVEL still carries."""
    return {key: document[key] for key in ("_aws", DIMENSION, *METRICS)}


def compact(document: dict[str, Any]) -> dict[str, Any]:
    """A routine line at INFO: the metrics, the outcome, and cold_start only when true.

    No "level": Lambda reads a JSON line without one as INFO, which this line is. No
    request id, route, status or latency: the outcome says how the request was answered,
    HandlerLatency is its latency, and the API's access log has every request's id, route
    and status (LOG_LEVEL = DEBUG brings the full line back).
    """
    line = {**metrics_only(document), "outcome": document["outcome"]}
    if document["cold_start"]:
        line["cold_start"] = True
    return line


def request_line(
    record: RequestRecord, site_id: str, level: str, timestamp_ms: int
) -> dict[str, Any]:
    """The document RequestLog writes for `record` at LOG_LEVEL `level` (the table above)."""
    document = emf_document(record, site_id, timestamp_ms)
    threshold = _RANK[level]
    if _RANK[document["level"]] < threshold:
        return metrics_only(document)
    if record.outcome in ROUTINE_OUTCOMES and threshold > _RANK["DEBUG"]:
        return compact(document)
    return document


class RequestLog:
    """Writes each request's line to stdout (Lambda sends stdout to CloudWatch Logs).

    Every request gets its line, with every metric: LOG_LEVEL quiets the log, never the
    numbers the alarms and the dashboard are built on.
    """

    def __init__(self, site_id: str, level: str = "INFO", stream: TextIO | None = None) -> None:
        if level not in _RANK:
            raise ValueError(f"level: {level!r} is not one of {', '.join(_RANK)}")
        self._site_id = site_id
        self._level = level
        self._stream = stream

    def write(self, record: RequestRecord) -> None:
        """Write the request's line."""
        document = request_line(record, self._site_id, self._level, int(time.time() * 1000))
        (self._stream or sys.stdout).write(json.dumps(document, separators=(",", ":")) + "\n")
