"""Per-page counts over the API: POST and GET /pages/{page}, GET /pages?top=N."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.events import http_event
from tests.support.tables import TEST_TABLE_NAME, all_items, stored_count, write_known_pages
from visitor_counter import schema
from visitor_counter.router import Router
from visitor_counter.routes import ROUTES, route_of


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def visit(api: Router, page: str, **kwargs: Any) -> dict[str, Any]:
    return api.handle(http_event("POST", f"/pages/{page}", **kwargs))


def page_item(dynamodb: Any, page: str) -> dict[str, Any]:
    key = {"ID": {"S": schema.page_key("blog", page)}}
    item: dict[str, Any] = dynamodb.get_item(TableName=TEST_TABLE_NAME, Key=key)["Item"]
    return item


def test_post_counts_a_view_and_a_new_visitor(api: Router) -> None:
    response = visit(api, "%2Fposts%2Fhello")

    assert response["statusCode"] == 200
    assert response["body"] == '{"page":"/posts/hello","views":1,"visitors":1}'


def test_a_repeat_visit_the_same_day_counts_a_view_not_a_visitor(api: Router) -> None:
    visit(api, "%2Fposts%2Fhello")

    again = visit(api, "%2Fposts%2Fhello")

    assert body(again) == {"page": "/posts/hello", "views": 2, "visitors": 1}


def test_other_visitors_count_once_each(api: Router) -> None:
    visit(api, "%2F", source_ip="198.51.100.1")
    visit(api, "%2F", source_ip="198.51.100.2")
    visit(api, "%2F", source_ip="2001:db8::2")

    last = visit(api, "%2F", source_ip="198.51.100.1")

    assert body(last) == {"page": "/", "views": 4, "visitors": 3}


def test_another_user_agent_from_the_same_address_is_not_another_visitor(api: Router) -> None:
    visit(api, "%2F", source_ip="198.51.100.2")

    again = visit(api, "%2F", source_ip="198.51.100.2", user_agent="Mozilla/5.0 Safari/605.1.15")

    assert body(again) == {"page": "/", "views": 2, "visitors": 1}


def test_one_visitor_counts_once_per_page(api: Router) -> None:
    visit(api, "%2Fa")

    other = visit(api, "%2Fb")

    assert body(other) == {"page": "/b", "views": 1, "visitors": 1}


def test_spellings_of_one_page_count_together(api: Router) -> None:
    visit(api, "%2FAbout%2F")
    visit(api, "about")

    assert body(visit(api, "https%3A%2F%2Fexample.com%2Fabout"))["views"] == 3


def test_page_views_leave_the_site_total_alone(api: Router, dynamodb: Any) -> None:
    visit(api, "%2F")

    assert body(api.handle(http_event("POST")))["visitors"] == 1
    assert stored_count(dynamodb) == 1


def test_get_reads_without_counting(api: Router, dynamodb: Any) -> None:
    visit(api, "%2Fposts%2Fhello")
    before = all_items(dynamodb)

    response = api.handle(http_event("GET", "/pages/%2Fposts%2Fhello"))

    assert response["statusCode"] == 200
    assert body(response) == {"page": "/posts/hello", "views": 1, "visitors": 1}
    assert all_items(dynamodb) == before


def test_get_of_a_page_never_viewed_is_404_and_creates_nothing(api: Router, dynamodb: Any) -> None:
    response = api.handle(http_event("GET", "/pages/%2Fnever"))

    assert response["statusCode"] == 404
    assert body(response) == {"error": "No views recorded for page '/never'."}
    assert all_items(dynamodb) == []


def test_top_lists_the_most_viewed_pages_first(api: Router, dynamodb: Any) -> None:
    write_known_pages(dynamodb, ["/a", "/b", "/c"], [])
    for page, views in (("%2Fa", 1), ("%2Fb", 3), ("%2Fc", 2)):
        for _ in range(views):
            visit(api, page)

    response = api.handle(http_event("GET", "/pages", query="top=2"))

    assert response["statusCode"] == 200
    assert body(response) == {
        "pages": [
            {"page": "/b", "views": 3, "visitors": 1},
            {"page": "/c", "views": 2, "visitors": 1},
        ]
    }


def test_top_defaults_to_ten_and_leaves_out_the_site_total(api: Router, dynamodb: Any) -> None:
    write_known_pages(dynamodb, [f"/p{number}" for number in range(12)], [])
    api.handle(http_event("POST"))
    for number in range(12):
        visit(api, f"%2Fp{number}")

    pages = body(api.handle(http_event("GET", "/pages")))["pages"]

    assert len(pages) == 10
    assert all(page["page"].startswith("/p") for page in pages)


def test_pages_only_a_glob_admits_count_but_stay_out_of_the_top_list(
    api: Router, dynamodb: Any
) -> None:
    visit(api, "%2Fposts%2Fhello")  # listed: one of the site's pages
    for number in range(5):  # the test site's glob "/*" admits any id one segment deep
        visit(api, "%2Fmade-up", source_ip=f"192.0.2.{number}")

    top = body(api.handle(http_event("GET", "/pages", query="top=10")))
    made_up = api.handle(http_event("GET", "/pages/%2Fmade-up"))

    assert top == {"pages": [{"page": "/posts/hello", "views": 1, "visitors": 1}]}
    assert body(made_up) == {"page": "/made-up", "views": 5, "visitors": 5}


def test_a_pattern_without_wildcards_lists_its_page(api: Router, dynamodb: Any) -> None:
    write_known_pages(dynamodb, [], ["/Elsewhere/Hosted/", "/*"])
    visit(api, "%2Felsewhere%2Fhosted")
    visit(api, "%2Fglob-only")

    top = body(api.handle(http_event("GET", "/pages")))

    assert top == {"pages": [{"page": "/elsewhere/hosted", "views": 1, "visitors": 1}]}


def test_a_made_up_pages_item_never_reaches_the_top_list(api: Router, dynamodb: Any) -> None:
    visit(api, "%2F")
    # Counted when the top list was an index of every page: a made-up page with most views.
    dynamodb.put_item(
        TableName=TEST_TABLE_NAME,
        Item={
            "ID": {"S": schema.page_key("blog", "/junk")},
            schema.VIEWS_ATTRIBUTE: {"N": "1000"},
            schema.PAGE_VISITORS_ATTRIBUTE: {"N": "1"},
            schema.PAGE_ATTRIBUTE: {"S": "/junk"},
            schema.SITE_ATTRIBUTE: {"S": "blog"},
        },
    )

    top = body(api.handle(http_event("GET", "/pages", query="top=1")))

    assert top == {"pages": [{"page": "/", "views": 1, "visitors": 1}]}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("top=0", "top must be one whole number from 1 to 100."),
        ("top=101", "top must be one whole number from 1 to 100."),
        ("top=ten", "top must be one whole number from 1 to 100."),
        ("top=", "top must be one whole number from 1 to 100."),
        ("top=%C2%B2", "top must be one whole number from 1 to 100."),
        ("top=1&top=2", "top must be one whole number from 1 to 100."),
        ("limit=5", "Unknown query parameter 'limit': only 'top' is accepted."),
    ],
)
def test_bad_top_queries_are_400_with_the_reason(api: Router, query: str, message: str) -> None:
    response = api.handle(http_event("GET", "/pages", query=query))

    assert response["statusCode"] == 400
    assert body(response) == {"error": message}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/pages/", "Page id is missing: use /pages/%2F for the site's root page."),
        ("/pages/%2Fa%3Fq%3D1", "Page id must be a path without a query string or fragment."),
        ("/pages/%2Fa%00", "Page id holds a non-printable character (U+0000)."),
        ("/pages/%2F" + "a" * 300, "Page id is 301 bytes; the limit is 256."),
    ],
)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_bad_page_ids_are_400_and_count_nothing(
    api: Router, dynamodb: Any, path: str, message: str, method: str
) -> None:
    visit(api, "%2Fa")
    before = all_items(dynamodb)

    response = api.handle(http_event(method, path))

    assert response["statusCode"] == 400
    assert body(response) == {"error": message}
    assert all_items(dynamodb) == before


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/pages/%2Fa", "GET, POST, OPTIONS"),
        ("PUT", "/pages/%2Fa", "GET, POST, OPTIONS"),
        ("POST", "/pages", "GET, OPTIONS"),
        ("DELETE", "/", "GET, POST, OPTIONS"),
    ],
)
def test_wrong_methods_are_405_with_the_routes_allow(
    api: Router, dynamodb: Any, method: str, path: str, allow: str
) -> None:
    response = api.handle(http_event(method, path))

    assert response["statusCode"] == 405
    assert response["headers"]["Allow"] == allow
    assert body(response) == {"error": "Method not allowed."}
    assert all_items(dynamodb) == []


@pytest.mark.parametrize("path", ["/page/%2Fa", "/pagesx", "/pages-top", "/favicon.ico"])
def test_unknown_paths_are_404(api: Router, dynamodb: Any, path: str) -> None:
    response = api.handle(http_event("POST", path))

    assert response["statusCode"] == 404
    assert body(response) == {"error": "Not found."}
    assert all_items(dynamodb) == []


def test_preflight_on_pages_allows_get_and_post(api: Router, dynamodb: Any) -> None:
    response = api.handle(http_event("OPTIONS", "/pages/%2Fa", origin="https://example.com"))

    assert response["statusCode"] == 204
    assert response["headers"]["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert response["headers"]["Access-Control-Allow-Origin"] == "https://example.com"
    assert all_items(dynamodb) == []


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/pages//posts/hello", "/posts/hello"),
        ("/pages//", "/"),
        ("/pages/posts/hello", "/posts/hello"),
    ],
)
def test_paths_as_http_apis_deliver_them_decoded(api: Router, path: str, page: str) -> None:
    # What the snippet sends as /pages/%2Fposts%2Fhello reaches the function as /pages//posts/hello.
    response = api.handle(http_event("POST", path))

    assert body(response) == {"page": page, "views": 1, "visitors": 1}


def test_the_router_serves_exactly_the_methods_the_routes_table_lists(api: Router) -> None:
    served = {route: sorted(actions) for route, actions in api._actions.items()}

    assert served == {route: sorted(route.methods) for route in ROUTES}


@pytest.mark.parametrize(
    ("path", "route"),
    [("/", "/"), ("/pages", "/pages"), ("/pages/a", "/pages/{page+}"), ("/stats/daily",
     "/stats/{route+}"), ("/pages/", "/pages/{page+}"), ("/other", None), ("", None)],
)  # fmt: skip
def test_a_path_takes_the_route_api_gateway_would_give_it(path: str, route: str | None) -> None:
    found = route_of(path)

    assert (found.path if found else None) == route
