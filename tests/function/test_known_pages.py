"""Only known pages count: the deploy's list and globs; unknown pages are 404 and write nothing."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.tables import all_items, write_known_pages
from visitor_counter.known_pages import KnownPages
from visitor_counter.page_patterns import InvalidPattern, pattern_regex
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.telemetry import RequestLog
from visitor_counter.wiring import build_router


def test_thirty_unknown_pages_create_no_item(api: Router, dynamodb: Any) -> None:
    api.handle(http_event("POST", "/pages/%2Fa"))  # the salt and the known pages, read
    before = all_items(dynamodb)

    answers = [api.handle(http_event("POST", f"/pages/%2Fjunk%2F{number}")) for number in range(30)]

    assert {answer["statusCode"] for answer in answers} == {404}
    assert json.loads(answers[0]["body"]) == {
        "error": "Page '/junk/0' is not one of this site's pages, so it is not counted: the "
        "deploy lists the site's pages, and the page_patterns setting adds others."
    }
    assert all_items(dynamodb) == before


def test_listed_pages_and_pattern_matches_count(api: Router) -> None:
    for page in ("%2F", "%2Fposts%2Fhello", "%2Fanything"):
        assert api.handle(http_event("POST", f"/pages/{page}"))["statusCode"] == 200


def test_a_folders_index_page_counts_as_the_folder(api: Router) -> None:
    response = api.handle(http_event("POST", "/pages/%2Findex.html"))

    assert json.loads(response["body"])["page"] == "/"


def test_unknown_pages_are_404_for_bots_and_foreign_origins_too(api: Router) -> None:
    for event in (
        http_event("POST", "/pages/%2Fx%2Fy", user_agent="Googlebot/2.1"),
        http_event("POST", "/pages/%2Fx%2Fy", origin="https://evil.example"),
    ):
        assert api.handle(event)["statusCode"] == 404


def test_without_a_list_no_page_counts(
    settings: Settings, handler_client: Any, dynamodb: Any, clock: Clock
) -> None:
    dynamodb.delete_item(TableName=settings.table_name, Key={"ID": {"S": "blog#known-pages"}})
    api = build_router(
        settings, handler_client, requests=RequestLog("blog", "ERROR", io.StringIO()), clock=clock
    )

    assert api.handle(http_event("POST", "/pages/%2F"))["statusCode"] == 404
    assert api.handle(http_event("POST"))["statusCode"] == 200  # the site total is not a page


def test_a_deploys_new_pages_count_after_the_refresh_time(
    api: Router, dynamodb: Any, clock: Clock, settings: Settings
) -> None:
    assert api.handle(http_event("POST", "/pages/%2Fnew%2Fpost"))["statusCode"] == 404
    write_known_pages(dynamodb, ["/new/post"], [])

    clock.now_s += settings.known_pages_refresh_s - 1
    assert api.handle(http_event("POST", "/pages/%2Fnew%2Fpost"))["statusCode"] == 404
    clock.now_s += 1
    assert api.handle(http_event("POST", "/pages/%2Fnew%2Fpost"))["statusCode"] == 200


@pytest.mark.parametrize(
    ("pattern", "page", "allowed"),
    [
        ("/posts/*", "/posts/hello", True),
        ("/posts/*", "/posts", False),
        ("/posts/*", "/posts/a/b", False),
        ("/posts/**", "/posts/a/b", True),
        ("/posts/*.html", "/posts/a.html", True),
        ("/posts/*.html", "/posts/a.htm", False),
        ("/Posts/", "/posts", True),  # spelled as page ids are: lower case, no trailing slash
        ("/a.b", "/axb", False),  # a dot is a dot
        ("/*", "/", True),
        ("/**/*.html", "/a/b/c.html", True),  # one '**', one wildcard per segment
        ("/docs/**.md", "/docs/a/b.md", True),
    ],
)
def test_pattern_globs(pattern: str, page: str, allowed: bool) -> None:
    assert KnownPages.of([], [pattern]).allows(page) is allowed


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("posts/*", "must start with '/'"),
        ("/a b", "must start with '/'"),
        ("/a?b", "must start with '/'"),
        ("/<b>", "angle brackets"),
        ("/***", "use '*' (one segment) or '**' (any depth)"),
        ("/**/x/**", "use '**' once at most (more make a long page id slow to match)"),
        (
            "/posts/*-*.html",
            "use one '*' or '**' per segment at most, as in '/posts/*.html' (more make a long "
            "page id slow to match)",
        ),
        ("/a**b*", "use one '*' or '**' per segment at most"),
    ],
)
def test_bad_patterns_are_refused_with_the_reason(pattern: str, message: str) -> None:
    with pytest.raises(InvalidPattern, match=re.escape(message)):
        pattern_regex(pattern)


# Each took from a third of a second to seconds to refuse a 255-byte page id, as a regex.
PATHOLOGICAL = ("/**a**a**a**b", "/*a*a*a*b", "/a*a*a*a*a*b")
LONG_ID = "/" + "a" * 254


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_patterns_that_could_take_seconds_per_page_are_refused(pattern: str) -> None:
    with pytest.raises(InvalidPattern, match="slow to match"):
        KnownPages.of([], [pattern])


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_a_hand_edited_slow_pattern_never_meets_a_page_id(
    settings: Settings, handler_client: Any, dynamodb: Any, clock: Clock, pattern: str
) -> None:
    write_known_pages(dynamodb, ["/"], [pattern])
    api = build_router(
        settings, handler_client, requests=RequestLog("blog", "ERROR", io.StringIO()), clock=clock
    )
    before = all_items(dynamodb)

    response = api.handle(http_event("POST", "/pages/" + LONG_ID.replace("/", "%2F")))

    assert response["statusCode"] == 500
    assert all_items(dynamodb) == before


def test_patterns_without_wildcards_are_listed_pages_globs_are_not() -> None:
    known = KnownPages.of(["/"], ["/Elsewhere/", "/posts/*"])

    assert (known.lists("/"), known.lists("/elsewhere"), known.lists("/posts/a")) == (
        True,
        True,
        False,
    )
    assert known.allows("/posts/a")


def test_a_hand_edited_bad_pattern_is_a_500_not_a_crash(
    settings: Settings, handler_client: Any, dynamodb: Any, clock: Clock
) -> None:
    write_known_pages(dynamodb, ["/"], ["no-slash"])
    api = build_router(
        settings, handler_client, requests=RequestLog("blog", "ERROR", io.StringIO()), clock=clock
    )

    response = api.handle(http_event("POST", "/pages/%2F"))

    assert response["statusCode"] == 500
    assert json.loads(response["body"]) == {"error": "Visitor count unavailable."}
