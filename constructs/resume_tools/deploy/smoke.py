"""After a deploy: check what was deployed through its public URLs, changing no count.

The site serves its home page (over HTTPS, with the security headers, when deployed to
AWS); a preflight from the site's origin is allowed; a read route answers; a counting route
answers, as a bot, which by the counting rules counts nothing; the site serves the stats
page, and the stats API answers (with a token given, the stats themselves; without, a 401
asking for one, or the stats when they are public). A failed check names itself.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from resume.edge_code import API_PATH
from resume_tools.errors import OpsError

# A crawler's name by the counting rules ("bot"): its POST answers with the count, uncounted.
SMOKE_USER_AGENT = "cloud-resume-smoke-check/1.0 (deploy bot)"
SECURITY_HEADERS = (
    "strict-transport-security",
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
)
TIMEOUT_S = 10
STATS_PAGE = "/stats/"
STATS_ROUTE = "/stats/daily"


def smoke_check(
    site_url: str,
    api_url: str,
    *,
    deployed: bool,
    stats_token: str | None = None,
    attempts: int = 1,
    pause_s: float = 10.0,
) -> list[str]:
    """Run every check; return their names. Raise OpsError naming each one that failed.

    `deployed`: the real thing, where HTTPS and the security headers are required (the local
    cloud's stand-in for CloudFront serves plain HTTP without them). `stats_token`: the
    owner's, when known (the local cloud makes one; a deploy keeps the one it had). A check
    is tried `attempts` times, `pause_s` apart: a new distribution can take a moment to answer.
    """
    site_url, api_url = site_url.rstrip("/"), api_url.rstrip("/")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    checks: dict[str, Callable[[], None]] = {
        "site": lambda: _site(site_url, deployed),
        # Allowed only when the distribution's secret and the site's host reach the function.
        "preflight through the site's /api/": lambda: _preflight(site_url + API_PATH, origin),
        "read route": lambda: _read_route(api_url),
        "read route through the site's /api/": lambda: _read_route(site_url + API_PATH),
        "counting route (as a bot, uncounted)": lambda: _counting_route(api_url),
        "stats page": lambda: _stats_page(site_url),
        "stats route": lambda: _stats_route(api_url, stats_token),
    }
    failures = []
    for name, check in checks.items():
        problem = _first_success(check, attempts, pause_s)
        if problem:
            failures.append(f"{name}: {problem}")
    if failures:
        raise OpsError("smoke check failed: " + "; ".join(failures))
    return list(checks)


def _first_success(check: Callable[[], None], attempts: int, pause_s: float) -> str:
    problem = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(pause_s)
        try:
            check()
        except (OSError, ValueError, KeyError, AssertionError) as exc:
            problem = str(exc) or type(exc).__name__
        else:
            return ""
    return problem


def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 - our own deployment's URLs
        url, method=method, headers={"User-Agent": SMOKE_USER_AGENT, **(headers or {})}
    )
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_S)  # noqa: S310
    except urllib.error.HTTPError as exc:
        raise Refused(f"{method} {url} answered {exc.code}", exc.code) from None


class Refused(ValueError):
    """An HTTP error status, kept for a check that expects one."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _site(site_url: str, deployed: bool) -> None:
    if deployed and not site_url.startswith("https://"):
        raise ValueError(f"{site_url} is not HTTPS")
    with _request(site_url + "/") as response:
        content_type = response.headers.get("Content-Type", "")
        missing = [h for h in SECURITY_HEADERS if deployed and h not in response.headers]
    if not content_type.startswith("text/html"):
        raise ValueError(f"the home page is {content_type or 'untyped'}, not HTML")
    if missing:
        raise ValueError("missing security headers: " + ", ".join(missing))


def _preflight(api_url: str, origin: str) -> None:
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    with _request(api_url + "/", "OPTIONS", headers) as response:
        allowed = response.headers.get("Access-Control-Allow-Origin")
    if allowed != origin:
        raise ValueError(f"the site's origin {origin} is not allowed (got {allowed!r})")


def _read_route(api_url: str) -> None:
    with _request(api_url + "/pages?top=1") as response:
        pages = json.loads(response.read())["pages"]
    if not isinstance(pages, list):
        raise ValueError(f"GET /pages answered {pages!r}, not a list")


def _counting_route(api_url: str) -> None:
    with _request(api_url + "/", "POST") as response:
        visitors = json.loads(response.read())["visitors"]
    if not isinstance(visitors, int):
        raise ValueError(f"POST / answered {visitors!r}, not a count")


def _stats_page(site_url: str) -> None:
    with _request(site_url + STATS_PAGE) as response:
        content_type = response.headers.get("Content-Type", "")
    if not content_type.startswith("text/html"):
        raise ValueError(f"{STATS_PAGE} is {content_type or 'untyped'}, not HTML")


def _stats_route(api_url: str, token: str | None) -> None:
    url = api_url + STATS_ROUTE
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with _request(url, headers=headers) as response:
            days = json.loads(response.read())["days"]
    except Refused as refused:
        if refused.status == HTTPStatus.UNAUTHORIZED and not token:
            return  # private stats, and no token to show: the route is there and guarded
        raise
    if not isinstance(days, list):
        raise ValueError(f"GET {url} answered {days!r}, not a list of days")
