"""What the deployed HTTP API stage, routes and function limit, enforced by the local gateway.

Read back from what was deployed (the stage's default route throttling, the function's
timeout), not from a second copy of the config, so the local cloud limits what AWS limits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StageLimits:
    """The stage throttle (a token bucket), the function timeout, the API's route keys."""

    burst: int
    rate_rps: float
    timeout_s: float
    routes: tuple[str, ...] = ("$default",)


def deployed_limits(apigatewayv2: Any, lambda_client: Any, function_name: str) -> StageLimits:
    """The limits of the one HTTP API and the function the local cloud deployed."""
    (api,) = apigatewayv2.get_apis()["Items"]
    settings = apigatewayv2.get_stage(ApiId=api["ApiId"], StageName="$default")
    throttle = settings["DefaultRouteSettings"]
    function = lambda_client.get_function_configuration(FunctionName=function_name)
    routes = apigatewayv2.get_routes(ApiId=api["ApiId"])["Items"]
    return StageLimits(
        burst=int(throttle["ThrottlingBurstLimit"]),
        rate_rps=float(throttle["ThrottlingRateLimit"]),
        timeout_s=float(function["Timeout"]),
        routes=tuple(sorted(route["RouteKey"] for route in routes)),
    )


class TokenBucket:
    """API Gateway's throttle: `burst` requests at once, refilled at `rate_rps` per second."""

    def __init__(
        self, burst: int, rate_rps: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._capacity = float(burst)
        self._rate = rate_rps
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Spend one token; False when the bucket is empty (the request is throttled)."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True
