"""The local stand-in for the HTTP API stage: throttle, payload limit, failed invocations.

Over real HTTP on loopback, with a stand-in Lambda handler whose calls are recorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from resume_tools.local_cloud.gateway import MAX_BODY_BYTES, LocalGateway
from resume_tools.local_cloud.stage_limits import StageLimits, TokenBucket


class Lambda:
    """A handler that answers 200 after `delay_s`, or raises; it records every invocation."""

    def __init__(self, delay_s: float = 0.0, crash: bool = False) -> None:
        self.delay_s = delay_s
        self.crash = crash
        self.calls = 0

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.calls += 1
        time.sleep(self.delay_s)
        if self.crash:
            raise RuntimeError("the function failed")
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start gateways for a test; stop them after it."""
    started: list[LocalGateway] = []

    def start(handler: Lambda, limits: StageLimits) -> str:
        gateway = LocalGateway(handler, 0, limits)
        gateway.start()
        started.append(gateway)
        return gateway.url

    yield start
    for gateway in started:
        gateway.stop()


def test_over_the_burst_is_429_without_invoking_the_function(serve: Any) -> None:
    function = Lambda()
    url = serve(function, StageLimits(burst=3, rate_rps=0.001, timeout_s=5))

    statuses = [requests.post(url + "/", timeout=10) for _ in range(5)]

    assert [r.status_code for r in statuses] == [200, 200, 200, 429, 429]
    assert statuses[-1].json() == {"message": "Too Many Requests"}
    assert function.calls == 3


def test_a_function_past_its_timeout_is_a_500_and_no_hang(serve: Any) -> None:
    url = serve(Lambda(delay_s=3), StageLimits(burst=10, rate_rps=10, timeout_s=0.5))

    started = time.monotonic()
    response = requests.post(url + "/", timeout=10)

    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}
    assert time.monotonic() - started < 2.5


def test_a_crashed_function_is_a_500(serve: Any) -> None:
    url = serve(Lambda(crash=True), StageLimits(burst=10, rate_rps=10, timeout_s=5))

    response = requests.post(url + "/", timeout=10)

    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}


def test_a_429_leaves_a_keep_alive_connection_usable(serve: Any) -> None:
    """A throttled answer must not close the socket a client reuses (it got RemoteDisconnected)."""
    url = serve(Lambda(), StageLimits(burst=1, rate_rps=20, timeout_s=5))
    session = requests.Session()

    statuses = []
    for _ in range(40):
        statuses.append(session.post(url + "/", data=b'{"x":1}', timeout=10).status_code)

    assert set(statuses) == {200, 429}
    assert 429 in statuses[1:3]


def test_a_body_over_10_mb_is_413_without_invoking_the_function(serve: Any) -> None:
    function = Lambda()
    url = serve(function, StageLimits(burst=10, rate_rps=10, timeout_s=5))

    response = requests.post(url + "/", data=b"x" * (MAX_BODY_BYTES + 1), timeout=30)

    assert response.status_code == 413
    assert function.calls == 0


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_refills_at_the_rate_up_to_the_burst() -> None:
    clock = Clock()
    bucket = TokenBucket(burst=2, rate_rps=4, clock=clock)

    first = [bucket.take() for _ in range(3)]
    clock.now += 0.25  # one token back
    second = [bucket.take() for _ in range(2)]
    clock.now += 60  # never more than the burst
    third = [bucket.take() for _ in range(3)]

    assert first == [True, True, False]
    assert second == [True, False]
    assert third == [True, True, False]
