"""Each route's throttle: its share of the stage's ceiling, summing to it.

HTTP APIs keep one token bucket per route (resume.counter_api says why); the shares are the
routes table's (visitor_counter.routes). Plain arithmetic: the tooling's cost model and
the local gateway's tests use it without cdktf.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from visitor_counter.routes import ROUTES

RATE_STEP_PER_S = Decimal("0.01")  # the routes' rates are split in hundredths of a request/s


@dataclass(frozen=True)
class RouteThrottle:
    """One route's throttle: `burst` requests at once, refilled at `rate_rps` a second."""

    burst: int
    rate_rps: float


def route_throttles(burst_limit: int, rate_limit_rps: float) -> dict[str, RouteThrottle]:
    """Each route's share of the stage's ceiling, by route key; they sum to the ceiling.

    AWS takes a whole burst and a fractional rate: the burst is split in whole requests, the
    rate in hundredths of a request a second (a ceiling finer than that loses the rest).
    """
    shares = [route.throttle_percent for route in ROUTES]
    if sum(shares) != 100:
        raise ValueError(f"the routes' throttle shares sum to {sum(shares)}%, not 100%")
    bursts = apportion(burst_limit, shares)
    rates = apportion(int(Decimal(str(rate_limit_rps)) / RATE_STEP_PER_S), shares)
    # A route with no burst or no rate would be answered only 429.
    if 0 in bursts:
        raise ValueError(
            f"throttle_burst_limit: {burst_limit} cannot give each of the API's {len(ROUTES)} "
            f"routes a request at once: set {len(ROUTES)} or more"
        )
    if 0 in rates:
        raise ValueError(
            f"throttle_rate_limit_rps: {rate_limit_rps} cannot give each of the API's "
            f"{len(ROUTES)} routes {RATE_STEP_PER_S} a second"
        )
    return {
        route.key: RouteThrottle(burst, float(rate * RATE_STEP_PER_S))
        for route, burst, rate in zip(ROUTES, bursts, rates, strict=True)
    }


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Whole parts of `total` in proportion to `weights`, summing to `total` exactly.

    Each part is rounded down; the parts still missing go one each to the largest remainders
    (the earlier on a tie); then a part left at 0 takes one from the largest part, so no
    route is shut while another holds two or more.
    """
    whole = sum(weights)
    parts = [total * weight // whole for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: -(total * weights[i] % whole))
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    for index, part in enumerate(parts):
        if part == 0 and max(parts) > 1:
            parts[parts.index(max(parts))] -= 1
            parts[index] = 1
    return parts
