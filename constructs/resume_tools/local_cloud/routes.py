"""Which requests an HTTP API's routes take, as API Gateway matches them.

A route key is "METHOD /path" ("ANY" for every method; "$default" for every request); a
path segment "{name}" matches one segment, a last "{name+}" one or more. A request no route
takes never reaches the function: API Gateway answers 404 itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

NOT_FOUND = b'{"message":"Not Found"}'


def route_taken(route_keys: Iterable[str], method: str, target: str) -> bool:
    """True when one of the routes takes `method` on `target` (a request line's target)."""
    segments = _segments(urlsplit(target).path)
    for key in route_keys:
        if key == "$default":
            return True
        route_method, _, route_path = key.partition(" ")
        if route_method in ("ANY", method) and _path_matches(_segments(route_path), segments):
            return True
    return False


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
