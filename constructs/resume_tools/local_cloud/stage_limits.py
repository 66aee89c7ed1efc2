"""What the deployed HTTP API stage, routes and function limit, enforced by the local gateway.

Read back from what was deployed (the stage's route throttling, the function's timeout), not
from a second copy of the config, so the local cloud limits what AWS limits.

HTTP APIs throttle route by route (AWS's HTTP API guide, "Route-level throttling"): each
route has its own token bucket, with its own route settings' limits where the stage has
some for it, else the stage's default route settings' (if those set none, only the account's
limits apply, which the local cloud never reaches).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Throttle:
    """One route's token bucket: `burst` requests at once, refilled at `rate_rps` a second."""

    burst: int
    rate_rps: float


@dataclass(frozen=True)
class StageLimits:
    """The stage's throttles, the function timeout, the API's route keys.

    `burst` and `rate_rps` are the default route settings' (None: they set no throttle);
    `route_throttles` holds the routes whose own settings replace them.
    """

    burst: int | None
    rate_rps: float | None
    timeout_s: float
    routes: tuple[str, ...] = ("$default",)
    route_throttles: Mapping[str, Throttle] = field(default_factory=dict)

    def throttle_of(self, route_key: str) -> Throttle | None:
        """The limits of one route's bucket; None when nothing but the account limits it."""
        if route_key in self.route_throttles:
            return self.route_throttles[route_key]
        if self.burst is None or self.rate_rps is None:
            return None
        return Throttle(self.burst, self.rate_rps)


def deployed_limits(apigatewayv2: Any, lambda_client: Any, function_name: str) -> StageLimits:
    """The limits of the one HTTP API and the function the local cloud deployed."""
    (api,) = apigatewayv2.get_apis()["Items"]
    stage = apigatewayv2.get_stage(ApiId=api["ApiId"], StageName="$default")
    default = _throttle(stage.get("DefaultRouteSettings", {}))
    function = lambda_client.get_function_configuration(FunctionName=function_name)
    routes = apigatewayv2.get_routes(ApiId=api["ApiId"])["Items"]
    route_throttles = {
        key: throttle
        for key, settings in stage.get("RouteSettings", {}).items()
        if (throttle := _throttle(settings)) is not None
    }
    return StageLimits(
        burst=default.burst if default else None,
        rate_rps=default.rate_rps if default else None,
        timeout_s=float(function["Timeout"]),
        routes=tuple(sorted(route["RouteKey"] for route in routes)),
        route_throttles=route_throttles,
    )


def _throttle(settings: Mapping[str, Any]) -> Throttle | None:
    """The throttle of one RouteSettings; None when it sets none."""
    if "ThrottlingBurstLimit" not in settings and "ThrottlingRateLimit" not in settings:
        return None
    # The Terraform provider always sends both (an unset one as 0): read a missing one so.
    return Throttle(
        int(settings.get("ThrottlingBurstLimit", 0)),
        float(settings.get("ThrottlingRateLimit", 0.0)),
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


class StageThrottle:
    """API Gateway's throttle on a stage: one token bucket per route, with that route's limits."""

    def __init__(self, limits: StageLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self._buckets = {
            key: TokenBucket(throttle.burst, throttle.rate_rps, clock)
            for key in limits.routes
            if (throttle := limits.throttle_of(key)) is not None
        }

    def take(self, route_key: str | None) -> bool:
        """Spend one token of the route's bucket; False when the request is throttled.

        A request no route takes, or a route only the account limits, spends nothing.
        """
        bucket = self._buckets.get(route_key) if route_key else None
        return bucket is None or bucket.take()
