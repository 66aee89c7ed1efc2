"""A stalled store: the client gets 503, and the view is counted at most once.

The local cloud's moto is paused (SIGSTOP) during one POST /: the handler's read times out
(2 s) and it answers 503. The request already sits in moto's socket, so when moto resumes
it applies it. What the product guarantees: the site total grows by at most the number of
200 answers plus one per 503 that followed a timeout. botocore's own retries used to send
the request a second time, and both were applied (+2 for one 503).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.cloud import RunningCloud, emulator_pid
from tests.support.events import BROWSER

pytestmark = pytest.mark.e2e
STALL_S = 5.0  # longer than the handler's connect (1 s) and read (2 s) timeouts together


def settled(read: Callable[[], int], quiet_s: float = 1.0, limit_s: float = 15.0) -> int:
    """The value once it has not changed for `quiet_s` (moto drains what queued up)."""
    deadline = time.monotonic() + limit_s
    value = read()
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        again = read()
        if again == value:
            return value
        value = again
    return value


def test_a_stalled_store_answers_503_and_counts_the_view_at_most_once(
    cloud: RunningCloud, stored_visitors: Callable[[], int]
) -> None:
    moto = emulator_pid(cloud.ports["moto_port"])
    before = stored_visitors()
    headers = {"User-Agent": BROWSER, "Origin": cloud.site_url}

    with ThreadPoolExecutor(max_workers=1) as pool:
        os.kill(moto, signal.SIGSTOP)
        try:
            answer = pool.submit(requests.post, cloud.api_url + "/", headers=headers, timeout=30)
            time.sleep(STALL_S)
        finally:
            os.kill(moto, signal.SIGCONT)
        response = answer.result()

    assert response.status_code == 503
    assert response.json() == {
        "error": "Visitor count temporarily unavailable, please retry later."
    }
    assert settled(stored_visitors) - before <= 1
