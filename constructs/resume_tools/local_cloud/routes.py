"""Which route of an HTTP API takes a request, as API Gateway picks it.

A route key is "METHOD /path" ("ANY" for every method; "$default" for every request); a
path segment "{name}" matches one segment, a last "{name+}" one or more. A request no route
takes never reaches the function: API Gateway answers 404 itself. Of the routes that take a
request, API Gateway picks the most specific (AWS's HTTP API guide, "Routing API requests"):
a full match (a static path before one with path variables), then a greedy one, then
`$default`; a route for the request's method before an `ANY` one.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

NOT_FOUND = b'{"message":"Not Found"}'


def route_taking(route_keys: Iterable[str], method: str, target: str) -> str | None:
    """The key of the route that takes `method` on `target` (a request line's target), if any."""
    segments = _segments(urlsplit(target).path)
    taking = [key for key in route_keys if _takes(key, method, segments)]
    return min(taking, key=_specificity, default=None)


def route_taken(route_keys: Iterable[str], method: str, target: str) -> bool:
    """True when one of the routes takes `method` on `target` (a request line's target)."""
    return route_taking(route_keys, method, target) is not None


def _takes(key: str, method: str, segments: list[str]) -> bool:
    if key == "$default":
        return True
    route_method, _, route_path = key.partition(" ")
    return route_method in ("ANY", method) and _path_matches(_segments(route_path), segments)


def _specificity(key: str) -> tuple[int, bool, int]:
    """Sorts the more specific route first: by kind, then its own method, then its length."""
    if key == "$default":
        return (3, True, 0)
    route_method, _, route_path = key.partition(" ")
    route = _segments(route_path)
    kind = 2 if route and route[-1].endswith("+}") else int(any(p.startswith("{") for p in route))
    return (kind, route_method == "ANY", -len(route))


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _path_matches(route: list[str], path: list[str]) -> bool:
    for index, part in enumerate(route):
        if part.startswith("{") and part.endswith("+}"):
            return len(path) > index
        if index >= len(path):
            return False
        if not (part.startswith("{") and part.endswith("}")) and part != path[index]:
            return False
    return len(path) == len(route)
