"""The local gateway limits what the deployed stage limits, read back from what was deployed.

HTTP APIs throttle route by route: the gateway keeps one bucket per route, with its limits.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from resume.config import AppConfig
from resume.counter_api import ROUTE_KEYS
from resume.route_throttles import route_throttles
from resume_tools.local_cloud.cloud import emulator_client
from resume_tools.local_cloud.stage_limits import StageLimits, Throttle, deployed_limits
from tests.support.cloud import RunningCloud

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def limits(cloud: RunningCloud) -> StageLimits:
    """The deployed routes' throttles and the deployed function's timeout."""
    lambda_client = emulator_client("lambda", cloud.emulator_endpoint)
    (function,) = lambda_client.list_functions()["Functions"]
    return deployed_limits(
        emulator_client("apigatewayv2", cloud.emulator_endpoint),
        lambda_client,
        function["FunctionName"],
    )


def test_the_deployed_limits_are_the_configured_ones(limits: StageLimits) -> None:
    config = AppConfig()
    shares = route_throttles(config.throttle_burst_limit, config.throttle_rate_limit_rps)

    # moto keeps the route settings Terraform creates the stage with: they are read back.
    assert limits == StageLimits(
        burst=None,
        rate_rps=None,
        timeout_s=config.lambda_timeout_s,
        routes=tuple(sorted(ROUTE_KEYS)),
        route_throttles={key: Throttle(t.burst, t.rate_rps) for key, t in shares.items()},
    )


def test_a_path_no_route_takes_is_answered_404_by_the_gateway_not_the_function(
    cloud: RunningCloud,
) -> None:
    response = requests.post(f"{cloud.api_url}/nowhere/at/all", timeout=10)

    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}  # API Gateway's words, not the handler's


def test_a_burst_over_a_routes_throttle_gets_429s_that_never_reach_the_function(
    cloud: RunningCloud, limits: StageLimits
) -> None:
    site = limits.throttle_of("ANY /")
    assert site is not None
    requests_sent = 3 * site.burst
    # requests' own User-Agent is a bot: nothing is counted, but every 200 invoked the function.
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(
            pool.map(lambda _: requests.post(cloud.api_url + "/", timeout=30), range(requests_sent))
        )
    elapsed = time.monotonic() - started
    other_route = requests.get(cloud.api_url + "/pages?top=1", timeout=10)
    time.sleep(site.burst / site.rate_rps)  # refill, for the tests after this one

    passed = [a for a in answers if a.status_code == 200]
    throttled = [a for a in answers if a.status_code == 429]
    assert len(passed) + len(throttled) == requests_sent
    assert throttled, f"{requests_sent} requests in {elapsed:.1f} s were never throttled"
    assert {a.text for a in throttled} == {'{"message":"Too Many Requests"}'}
    assert len(passed) <= site.burst + site.rate_rps * elapsed + 1
    assert other_route.status_code == 200  # its own bucket: "/" spent none of it
