"""The local stand-in for the HTTP API stage: throttles, payload limit, failed invocations.

Over real HTTP on loopback, with a stand-in Lambda handler whose calls are recorded; the
token buckets also on their own, with a clock the test moves.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from resume.counter_api import ROUTE_KEYS
from resume.route_throttles import route_throttles
from resume_tools.local_cloud.gateway import MAX_BODY_BYTES, LocalGateway
from resume_tools.local_cloud.stage_limits import (
    StageLimits,
    StageThrottle,
    Throttle,
    TokenBucket,
    deployed_limits,
)


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


def test_a_route_over_its_throttle_leaves_the_other_routes_answering(serve: Any) -> None:
    function = Lambda()
    limits = StageLimits(
        burst=None,
        rate_rps=None,
        timeout_s=5,
        routes=("ANY /", "ANY /pages"),
        route_throttles={"ANY /": Throttle(2, 0.001), "ANY /pages": Throttle(2, 0.001)},
    )
    url = serve(function, limits)

    site = [requests.post(url + "/", timeout=10).status_code for _ in range(3)]
    pages = [requests.get(url + "/pages?top=3", timeout=10).status_code for _ in range(3)]

    assert site == [200, 200, 429]
    assert pages == [200, 200, 429]
    assert function.calls == 4


def test_each_route_key_has_its_own_bucket() -> None:
    clock = Clock()
    limits = StageLimits(
        burst=None,
        rate_rps=None,
        timeout_s=5,
        routes=("ANY /", "ANY /pages"),
        route_throttles={"ANY /": Throttle(2, 1), "ANY /pages": Throttle(1, 1)},
    )
    throttle = StageThrottle(limits, clock)

    site = [throttle.take("ANY /") for _ in range(3)]
    pages = [throttle.take("ANY /pages") for _ in range(2)]

    assert site == [True, True, False]
    assert pages == [True, False]


def test_the_routes_buckets_together_take_the_configured_ceiling() -> None:
    clock = Clock()
    limits = StageLimits(
        burst=None,
        rate_rps=None,
        timeout_s=5,
        routes=ROUTE_KEYS,
        route_throttles={
            key: Throttle(t.burst, t.rate_rps) for key, t in route_throttles(100, 50.0).items()
        },
    )
    throttle = StageThrottle(limits, clock)

    at_once = sum(throttle.take(key) for key in ROUTE_KEYS for _ in range(200))
    clock.now += 2  # two seconds' refill: whole tokens in every bucket, none over its burst
    two_seconds_later = sum(throttle.take(key) for key in ROUTE_KEYS for _ in range(200))

    assert at_once == 100  # the configured burst
    assert two_seconds_later == 2 * 50  # the configured rate


def test_a_routes_own_settings_replace_the_default_route_settings() -> None:
    clock = Clock()
    limits = StageLimits(
        burst=1,
        rate_rps=1,
        timeout_s=5,
        routes=("ANY /", "ANY /pages"),
        route_throttles={"ANY /pages": Throttle(3, 1)},
    )
    throttle = StageThrottle(limits, clock)

    default = [throttle.take("ANY /") for _ in range(2)]
    overridden = [throttle.take("ANY /pages") for _ in range(4)]

    assert default == [True, False]
    assert overridden == [True, True, True, False]


def test_without_a_stage_throttle_only_the_routes_own_limit_them() -> None:
    throttle = StageThrottle(
        StageLimits(burst=None, rate_rps=None, timeout_s=5, routes=("ANY /",)), Clock()
    )

    assert all(throttle.take("ANY /") for _ in range(1000))


class Emulator:
    """The read calls deployed_limits makes, answered as moto answers them."""

    def __init__(self, stage: dict[str, Any]) -> None:
        self.stage = stage

    def get_apis(self) -> dict[str, Any]:
        return {"Items": [{"ApiId": "abc123"}]}

    def get_stage(self, ApiId: str, StageName: str) -> dict[str, Any]:  # noqa: N803
        return self.stage

    def get_routes(self, ApiId: str) -> dict[str, Any]:  # noqa: N803
        return {"Items": [{"RouteKey": "ANY /pages"}, {"RouteKey": "ANY /"}]}

    def get_function_configuration(self, FunctionName: str) -> dict[str, Any]:  # noqa: N803
        return {"Timeout": 5}


def test_the_deployed_route_settings_are_read_back() -> None:
    emulator = Emulator(
        {
            # moto's answer for a stage created without default route settings
            "DefaultRouteSettings": {"DetailedMetricsEnabled": False},
            "RouteSettings": {
                "ANY /": {
                    "DetailedMetricsEnabled": False,
                    "ThrottlingBurstLimit": 40,
                    "ThrottlingRateLimit": 20.0,
                },
                "ANY /pages": {"DetailedMetricsEnabled": False},
            },
        }
    )

    limits = deployed_limits(emulator, emulator, "counter")

    assert limits == StageLimits(
        burst=None,
        rate_rps=None,
        timeout_s=5,
        routes=("ANY /", "ANY /pages"),
        route_throttles={"ANY /": Throttle(40, 20.0)},
    )
