"""The local gateway takes the requests the HTTP API's routes take, by the route AWS picks."""

from __future__ import annotations

import pytest

from resume.counter_api import ROUTE_KEYS
from resume_tools.local_cloud.routes import route_taken, route_taking


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


@pytest.mark.parametrize(
    ("method", "target", "route_key"),
    [
        ("POST", "/", "ANY /"),
        ("GET", "/pages?top=3", "ANY /pages"),
        ("POST", "/pages/%2Fposts%2Fhello", "ANY /pages/{page+}"),
        ("GET", "/stats/daily", "ANY /stats/{route+}"),
        ("GET", "/stats", None),
    ],
)
def test_each_request_goes_to_one_route_of_the_api(
    method: str, target: str, route_key: str | None
) -> None:
    assert route_taking(ROUTE_KEYS, method, target) == route_key


# AWS's example of picking the most specific route ("Routing API requests", HTTP API guide).
AWS_EXAMPLE = [
    "$default",
    "ANY /{proxy+}",
    "GET /pets/{proxy+}",
    "GET /pets/dog/{id}",
    "GET /pets/dog/1",
]


@pytest.mark.parametrize(
    ("method", "target", "route_key"),
    [
        ("GET", "/pets/dog/1", "GET /pets/dog/1"),
        ("GET", "/pets/dog/2", "GET /pets/dog/{id}"),
        ("GET", "/pets/cat/1", "GET /pets/{proxy+}"),
        ("POST", "/test/5", "ANY /{proxy+}"),
        ("GET", "/", "$default"),
    ],
)
def test_the_most_specific_route_takes_a_request(method: str, target: str, route_key: str) -> None:
    assert route_taking(AWS_EXAMPLE, method, target) == route_key
