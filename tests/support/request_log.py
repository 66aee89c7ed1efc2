"""The handler's request log, as the local cloud prints it: one JSON line per request."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.support.cloud import RunningCloud


def logged_requests(
    cloud: RunningCloud, seen: int, count: int, timeout_s: float = 10
) -> list[dict[str, Any]]:
    """The request records logged after the first `seen` lines, once `count` are there.

    Waits for requests the test cannot await itself (a beacon); returns what is there at
    the deadline, so the caller's assertion says what was missing.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        lines = cloud.later_output[seen:]
        records = [json.loads(line) for line in lines if line.startswith("{")]
        # Every request's line says its outcome (a routine one's compact line little else).
        requests = [record for record in records if "outcome" in record]
        if len(requests) >= count or time.monotonic() > deadline:
            return requests
        time.sleep(0.05)
