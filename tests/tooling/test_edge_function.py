"""The site's CloudFront Function, run under Node as the local cloud runs it, on a URI table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from resume.edge_code import MAX_CODE_BYTES, api_request_code, viewer_request_code
from resume_tools.errors import OpsError
from resume_tools.local_cloud.edge_function import EdgeFunction

HOST = "example.com"


@pytest.fixture(scope="module")
def edge() -> Iterator[EdgeFunction]:
    function = EdgeFunction(viewer_request_code({"www.example.com": "example.com"}).encode())
    yield function
    function.close()


@pytest.mark.parametrize(
    ("uri", "rewritten"),
    [
        ("/", "/index.html"),
        ("/blog", "/blog/index.html"),
        ("/blog/", "/blog/index.html"),
        ("/blog/first-post/", "/blog/first-post/index.html"),
        ("/blog/first-post", "/blog/first-post/index.html"),
        ("/about", "/about/index.html"),
        ("/posts/hello.html", "/posts/hello.html"),
        ("/_astro/index.B4dC0ffe.js", "/_astro/index.B4dC0ffe.js"),
        ("/styles.css", "/styles.css"),
        ("/favicon.ico", "/favicon.ico"),
        ("/runtime-config.json", "/runtime-config.json"),
        ("/v1.2/notes", "/v1.2/notes/index.html"),  # only the last segment's dot matters
        ("/404.html", "/404.html"),
        ("/.well-known/apple-app-site-association", "/.well-known/apple-app-site-association"),
    ],
)
def test_pretty_urls_are_rewritten_files_are_not(
    edge: EdgeFunction, uri: str, rewritten: str
) -> None:
    assert edge.run(uri, HOST, "").uri == rewritten


@pytest.mark.parametrize(
    ("host", "uri", "query", "location"),
    [
        ("www.example.com", "/", "", "https://example.com/"),
        ("www.example.com", "/blog", "", "https://example.com/blog"),
        ("WWW.Example.com", "/a.css", "v=2", "https://example.com/a.css?v=2"),
        ("www.example.com", "/x", "a=1&b=&a=2", "https://example.com/x?a=1&a=2&b"),
    ],
)
def test_the_redirected_host_goes_to_the_canonical_one_with_301(
    edge: EdgeFunction, host: str, uri: str, query: str, location: str
) -> None:
    answer = edge.run(uri, host, query)

    assert answer.status == 301
    assert answer.headers == {"location": location}


def test_other_hosts_are_served(edge: EdgeFunction) -> None:
    answer = edge.run("/blog", "d111111abcdef8.cloudfront.net", "")
    assert (answer.status, answer.uri) == (0, "/blog/index.html")


def test_without_redirects_every_host_is_served() -> None:
    function = EdgeFunction(viewer_request_code({}).encode())
    try:
        assert function.run("/", "www.example.com", "").uri == "/index.html"
    finally:
        function.close()


@pytest.mark.parametrize(
    ("uri", "rewritten"),
    [("/about", "/about.html"), ("/", "/index.html"), ("/docs/", "/docs/index.html"),
     ("/a.css", "/a.css")],
)  # fmt: skip
def test_a_flat_build_maps_extensionless_uris_to_html_files(uri: str, rewritten: str) -> None:
    function = EdgeFunction(viewer_request_code({}, "html").encode())
    try:
        assert function.run(uri, HOST, "").uri == rewritten
    finally:
        function.close()


@pytest.mark.parametrize("host", ["constructor", "__proto__", "hasOwnProperty"])
def test_a_host_named_like_an_object_property_is_not_redirected(
    edge: EdgeFunction, host: str
) -> None:
    answer = edge.run("/x", host, "")
    assert (answer.status, answer.uri) == (0, "/x/index.html")


def test_the_code_stays_within_cloudfront_functions_size_limit() -> None:
    hosts = {"www.a-rather-long-domain-name.example.com": "a-rather-long-domain-name.example.com"}

    assert len(viewer_request_code(hosts).encode()) < MAX_CODE_BYTES


def test_a_function_that_throws_is_a_clear_error() -> None:
    function = EdgeFunction(b"function handler(event) { throw new Error('boom'); }")
    try:
        with pytest.raises(OpsError, match="the site's CloudFront Function failed: Error: boom"):
            function.run("/", HOST, "")
    finally:
        function.close()


@pytest.mark.parametrize(
    ("uri", "rewritten"),
    [("/api/", "/"), ("/api/pages/%2Fblog%2F", "/pages/%2Fblog%2F"), ("/api/stats/daily",
     "/stats/daily"), ("/api/api/", "/api/")],
)  # fmt: skip
def test_the_api_function_takes_the_prefix_off_and_names_the_viewers_host(
    uri: str, rewritten: str
) -> None:
    function = EdgeFunction(api_request_code().encode())
    try:
        # A viewer's own X-Viewer-Host is replaced by the host it asked for.
        answer = function.run(
            uri,
            "Example.com",
            "x=1",
            "POST",
            {"X-Viewer-Host": "evil.example", "X-Viewer-Address": "10.0.0.1", "Origin": "o"},
            viewer_ip="198.51.100.7",
        )
    finally:
        function.close()

    assert (answer.status, answer.uri) == (0, rewritten)
    assert answer.headers == {
        "host": "Example.com",
        "x-viewer-host": "example.com",
        "x-viewer-address": "198.51.100.7",
        "origin": "o",
    }
