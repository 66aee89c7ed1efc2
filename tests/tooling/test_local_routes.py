"""The local gateway takes the requests the HTTP API's routes take, as API Gateway does."""

from __future__ import annotations

import pytest

from resume.counter_api import ROUTE_KEYS
from resume_tools.local_cloud.routes import route_taken


@pytest.mark.parametrize(
    ("method", "target", "taken"),
    [
        ("POST", "/", True),
        ("OPTIONS", "/", True),
        ("GET", "/pages", True),
        ("GET", "/pages?top=3", True),
        ("POST", "/pages/%2Fposts%2Fhello", True),
        ("POST", "/pages/posts/hello", True),  # {page+} is greedy
        ("GET", "/stats/daily?from=2026-11-01", True),
        ("GET", "/stats/export.csv", True),
        ("GET", "/stats", False),
        ("GET", "/statistics/daily", False),
        ("POST", "/nowhere", False),
        ("GET", "/pages/a/../../stats", True),  # segments as sent: the handler judges them
    ],
)
def test_the_apis_routes(method: str, target: str, taken: bool) -> None:
    assert route_taken(ROUTE_KEYS, method, target) is taken


def test_a_method_route_takes_only_its_method() -> None:
    assert route_taken(["GET /x/{id}"], "GET", "/x/1")
    assert not route_taken(["GET /x/{id}"], "POST", "/x/1")
    assert not route_taken(["GET /x/{id}"], "GET", "/x/1/2")
    assert route_taken(["$default"], "PATCH", "/anything")
