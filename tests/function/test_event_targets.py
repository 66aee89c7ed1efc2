"""Where an event went: a download's file, an outbound link's site, counted with its day."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from resume.capacity import EVENT_DAY_UNITS_MAX
from tests.function.test_client_limit import dynamodb_size
from tests.function.test_events import RANGE, body, stats
from tests.support.events import http_event
from tests.support.tables import TEST_PAGES, TEST_PATTERNS, all_items, write_known_pages
from visitor_counter import event_input
from visitor_counter import events as events_module
from visitor_counter.pages import MAX_PAGE_BYTES
from visitor_counter.router import BAD_VIEW_BODY, Router

# Where the test site's pages link (the deploy lists them: resume.site_pages).
LINKED = ("/files/cv.pdf", "/files/letter.pdf", "/cv.pdf", "/other.pdf", "github.com",
          "a.example", "b.example", "c.example", "d.example")  # fmt: skip


@pytest.fixture(autouse=True)
def linked(dynamodb: Any) -> None:
    """The test site's pages, and where they link."""
    write_known_pages(dynamodb, TEST_PAGES, TEST_PATTERNS, targets=LINKED)


def went(api: Router, name: Any, target: Any, page: str = "%2F", **kwargs: Any) -> Any:
    """POST an event with its target; the response."""
    payload = json.dumps({"event": name, "target": target})
    return api.handle(http_event("POST", f"/pages/{page}", body=payload, **kwargs))


def test_each_event_says_where_it_went_most_first(api: Router) -> None:
    for number, target in enumerate(["/files/cv.pdf", "/files/cv.pdf", "/files/letter.pdf"]):
        assert body(went(api, "download", target, source_ip=f"192.0.2.{number}")) == {
            "event": "download",
            "page": "/",
            "target": target,
            "counted": True,
        }
    went(api, "outbound", "github.com")
    went(api, "outbound", "a.example", page="%2Fposts%2Fhello")
    api.handle(http_event("POST", "/pages/%2F", body=json.dumps({"event": "contact"})))

    assert stats(api, "events")["events"] == [
        {
            "event": "download",
            "count": 3,
            "visitors": 3,
            "targets": [
                {"target": "/files/cv.pdf", "count": 2},
                {"target": "/files/letter.pdf", "count": 1},
            ],
        },
        {
            "event": "outbound",
            "count": 2,
            "visitors": 1,
            "targets": [
                {"target": "a.example", "count": 1},
                {"target": "github.com", "count": 1},
            ],
        },
        {"event": "contact", "count": 1, "visitors": 1},  # it went nowhere
    ]
    # On one page: its counts there; where the events went is the site's, not the page's.
    on_home = stats(api, "events", f"{RANGE}&page=%2F")["events"]
    assert [e.get("targets") for e in on_home] == [None, None, None]


def test_a_target_no_page_links_to_counts_as_other_and_takes_no_place(
    api: Router, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anyone may make one up: a flood of them cannot push the site's own files out."""
    monkeypatch.setattr(events_module, "MAX_EVENT_TARGETS_PER_DAY", 2)
    for number in range(5):
        went(api, "download", f"/made-up-{number}.pdf", source_ip=f"192.0.2.{number}")
    went(api, "download", "/files/cv.pdf", source_ip="192.0.2.9")

    (download,) = stats(api, "events")["events"]
    assert download["targets"] == [
        {"target": "/files/cv.pdf", "count": 1},
        {"target": "other", "count": 5},
    ]
    (day,) = [i for i in all_items(dynamodb) if i["ID"]["S"] == "blog#event#download"]
    assert len(day[events_module.TARGETS_ATTRIBUTE]["SS"]) == 1  # only the linked one


def test_past_the_days_most_targets_the_rest_count_as_other(
    api: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events_module, "MAX_EVENT_TARGETS_PER_DAY", 2)
    for number, target in enumerate(
        ["a.example", "b.example", "c.example", "d.example", "a.example"]
    ):
        assert body(went(api, "outbound", target, source_ip=f"192.0.2.{number}"))["counted"]

    (outbound,) = stats(api, "events")["events"]
    assert outbound["count"] == 5
    assert outbound["targets"] == [
        {"target": "a.example", "count": 2},
        {"target": "b.example", "count": 1},
        {"target": "other", "count": 2},
    ]


def test_a_day_full_of_pages_and_of_targets_still_counts_every_event(
    api: Router, handler_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever set is full, the refused write says which, and the container remembers
    it (with its members, which still count by name): one refused write a set, once."""
    writes: list[str] = []
    handler_client.meta.events.register(
        "before-parameter-build.dynamodb.UpdateItem",
        lambda params, **_: writes.extend(
            [params["Key"]["ID"]["S"]] if "#event#" in params["Key"]["ID"]["S"] else []
        ),
    )
    monkeypatch.setattr(events_module, "MAX_EVENT_PAGES_PER_DAY", 1)
    monkeypatch.setattr(events_module, "MAX_EVENT_TARGETS_PER_DAY", 1)
    sent = [("%2F", "/cv.pdf"), ("%2Fposts%2Fhello", "/cv.pdf"), ("%2F", "/other.pdf"),
            ("%2Fposts%2Fhello", "/other.pdf"), ("%2F", "/cv.pdf")]  # fmt: skip
    for number, (page, target) in enumerate(sent):
        assert body(went(api, "download", target, page=page, source_ip=f"192.0.2.{number}"))[
            "counted"
        ]

    (download,) = stats(api, "events")["events"]
    assert (download["count"], download["visitors"]) == (5, 5)
    assert download["targets"] == [
        {"target": "/cv.pdf", "count": 3},
        {"target": "other", "count": 2},
    ]
    on_home = stats(api, "events", f"{RANGE}&page=%2F")["events"]
    assert on_home == [{"event": "download", "count": 3, "visitors": 3}]
    on_hello = stats(api, "events", f"{RANGE}&page=%2Fposts%2Fhello")["events"]
    assert on_hello == []  # past the day's one page: "other"
    # 5 events: 5 writes, and one refused write for each set found full (the second
    # event's pages, the third's targets); none after.
    assert len(writes) == 7


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("<b>x</b>", event_input.INVALID_TARGET),
        ("/cv.pdf?token=secret", event_input.INVALID_TARGET),
        ("/cv.pdf#page=2", event_input.INVALID_TARGET),
        ("javascript:alert(1)", event_input.INVALID_TARGET),
        ("https://github.com", event_input.INVALID_TARGET),  # a host, not a URL
        ("github.com/alice", event_input.INVALID_TARGET),  # another site's path: a person?
        ("1.2.3.4", event_input.INVALID_TARGET),  # an address, not a name
        ("/" + "x" * 100, event_input.INVALID_TARGET),
        ("/a b", event_input.INVALID_TARGET),
        ("", event_input.INVALID_TARGET),
        ("GitHub.com", event_input.INVALID_TARGET),
        ("localhost", event_input.INVALID_TARGET),
        (42, BAD_VIEW_BODY),
        (None, BAD_VIEW_BODY),
    ],
)
def test_a_bad_target_is_400_and_stores_nothing(
    api: Router, dynamodb: Any, target: Any, message: str
) -> None:
    before = all_items(dynamodb)

    response = went(api, "download", target)

    assert response["statusCode"] == 400
    assert body(response) == {"error": message}
    assert all_items(dynamodb) == before


def test_a_target_without_an_event_is_400_and_stores_nothing(api: Router, dynamodb: Any) -> None:
    before = all_items(dynamodb)

    response = api.handle(http_event("POST", "/pages/%2F", body=json.dumps({"target": "/cv.pdf"})))

    assert response["statusCode"] == 400
    assert body(response) == {"error": event_input.TARGET_WITHOUT_EVENT}
    assert all_items(dynamodb) == before


def test_an_events_day_at_its_bound_stays_within_the_capacity_models_units(
    api: Router, dynamodb: Any
) -> None:
    """Its most pages (each with a longest id, a count and uniques) and its most targets
    (each of the longest): the units capacity.py bills an event's write hold it."""
    most_pages = events_module.MAX_EVENT_PAGES_PER_DAY
    pages = [f"/{n:02d}" + "x" * (MAX_PAGE_BYTES - 3) for n in range(most_pages + 1)]
    longest = event_input.MAX_TARGET_CHARS
    targets = [f"/{n:02d}" + "y" * (longest - 3) for n in range(len(pages))]
    write_known_pages(dynamodb, pages, TEST_PATTERNS, targets=targets)
    for number, (page, target) in enumerate(zip(pages, targets, strict=True)):
        response = went(
            api, "download", target, page=quote(page, safe=""), source_ip=f"192.0.2.{number}"
        )
        assert body(response)["counted"] is True

    (day,) = [i for i in all_items(dynamodb) if i["ID"]["S"] == "blog#event#download"]
    assert len(day[events_module.PAGES_ATTRIBUTE]["SS"]) == most_pages
    assert len(day[events_module.TARGETS_ATTRIBUTE]["SS"]) == (
        events_module.MAX_EVENT_TARGETS_PER_DAY
    )
    assert dynamodb_size(day) <= EVENT_DAY_UNITS_MAX * 1024
