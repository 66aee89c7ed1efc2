"""Write shards: every key a view writes split `write_shards` ways, every count still exact.

A view writes one shard picked at random (here in turn, so each is used); every read sums
them: the answers, the top list, the stats, the site total of the original contract.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.stats import OWNER
from tests.support.tables import TEST_HISTORY_TABLE_NAME, all_items
from visitor_counter import schema
from visitor_counter import stats as stats_module
from visitor_counter.router import Router
from visitor_counter.visitors import utc_day

SHARDS = 3
DAY = 86_400


def in_turn() -> Callable[[], Callable[[int], int]]:
    """A router's `pick` that sends its writes to each shard in turn, from shard 0."""
    turns = itertools.cycle(range(SHARDS))
    return lambda: lambda shards: next(turns) % shards


@pytest.fixture
def sharded(api_with: Callable[..., Router]) -> Router:
    """A router whose views (and site hits) go to each of SHARDS shards in turn."""
    return api_with(pick=in_turn(), write_shards=SHARDS)


def answer(api: Router, method: str, path: str, **kw: Any) -> dict[str, Any]:
    response = api.handle(http_event(method, path, **kw))
    assert response["statusCode"] == 200, response
    return dict(json.loads(response["body"]))


def test_views_spread_over_the_shards_and_every_answer_sums_them(
    sharded: Router, dynamodb: Any, clock: Clock
) -> None:
    first = utc_day(clock.now_s)[0]
    answers = []
    for n in range(7):
        answers.append(answer(sharded, "POST", "/pages/%2F", source_ip=f"192.0.2.{n}")["views"])
        clock.now_s += schema.OTHER_SHARDS_FOR_S  # the other shards read again for the next
    totals = []
    for n in range(4):
        totals.append(answer(sharded, "POST", "/", source_ip=f"192.0.2.{n}")["visitors"])
        clock.now_s += schema.OTHER_SHARDS_FOR_S
    clock.now_s += DAY
    answer(sharded, "POST", "/pages/%2F", source_ip="192.0.2.50")  # a shard's day moves
    second = utc_day(clock.now_s)[0]
    query = f"from={first}&to={second}"

    pages = {
        item["ID"]["S"]
        for item in all_items(dynamodb)
        if item["ID"]["S"].startswith(schema.page_key("blog", "/"))
    }
    assert pages == {"blog#page#/", "blog#page#/#1", "blog#page#/#2"}
    assert answers == [1, 2, 3, 4, 5, 6, 7]
    assert totals == [1, 2, 3, 4]
    totals_stored = {
        item["ID"]["S"]
        for item in all_items(dynamodb)
        if re.fullmatch(r"blog(#[0-9]+)?", item["ID"]["S"])
    }
    assert totals_stored == {"blog", "blog#1", "blog#2"}
    assert answer(sharded, "GET", "/pages/%2F") == {"page": "/", "views": 8, "visitors": 8}
    assert answer(sharded, "GET", "/pages", query="top=1")["pages"][0]["views"] == 8
    daily = answer(sharded, "GET", "/stats/daily", query=query, headers=OWNER)["days"]
    assert [(d["views"], d["visitors"]) for d in daily] == [(7, 7), (1, 1)]
    page_daily = answer(sharded, "GET", "/stats/daily", query=f"{query}&page=%2F", headers=OWNER)[
        "days"
    ]
    assert [(d["views"], d["visitors"]) for d in page_daily] == [(7, 7), (1, 1)]
    top = answer(sharded, "GET", "/stats/pages", query=query, headers=OWNER)
    assert top["pages"] == [{"page": "/", "views": 8, "visitors": 8}]
    assert top["other"] == {"views": 0}


def test_a_shards_day_moves_to_its_own_partitions(
    sharded: Router, dynamodb: Any, clock: Clock
) -> None:
    """Each shard's past day goes to a history item, site's day and index partition of its
    own, so a busy page's shards moving at midnight do not write one key; the site's day is
    split again by page (schema.SITE_DAY_SPLIT, 3 parts a shard), "/made-up-3" going to the
    parts twice the shards past its own."""
    for page in ("%2F", "%2Fmade-up-3"):
        for n in range(SHARDS):
            answer(sharded, "POST", f"/pages/{page}", source_ip=f"192.0.2.{n}")
    clock.now_s += DAY
    for page in ("%2F", "%2Fmade-up-3"):
        for n in range(SHARDS):
            answer(sharded, "POST", f"/pages/{page}", source_ip=f"192.0.2.{n}")

    history = dynamodb.scan(TableName=TEST_HISTORY_TABLE_NAME)["Items"]
    moved = sorted(
        (item["ID"]["S"], item.get(schema.SITE_ATTRIBUTE, {}).get("S"), item["views"]["N"])
        for item in history
        if "views" in item
    )

    assert moved == [
        ("blog#page#/", "blog", "1"),
        ("blog#page#/#1", "blog#1", "1"),
        ("blog#page#/#2", "blog#2", "1"),
        ("blog#page#/made-up-3", "blog", "1"),
        ("blog#page#/made-up-3#1", "blog#1", "1"),
        ("blog#page#/made-up-3#2", "blog#2", "1"),
        ("blog#site", None, "1"),  # "/"'s shards: parts 0 to 2, their own
        ("blog#site#1", None, "1"),
        ("blog#site#2", None, "1"),
        ("blog#site#6", None, "1"),  # "/made-up-3"'s: parts 6 to 8
        ("blog#site#7", None, "1"),
        ("blog#site#8", None, "1"),
    ]
    today = utc_day(clock.now_s - DAY)[0]
    daily = answer(sharded, "GET", "/stats/daily", query=f"from={today}&to={today}", headers=OWNER)
    # Every part read: 6 views, by 3 visitors of the site (each saw both pages).
    assert [(d["views"], d["visitors"]) for d in daily["days"]] == [(6, 3)]


class CountedBatchReads:
    """The handler's client, counting its BatchGetItem calls."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.batch_reads = 0

    def __getattr__(self, name: str) -> Any:
        if name == "batch_get_item":
            self.batch_reads += 1
        return getattr(self._client, name)


def test_a_split_top_list_keeps_its_age_when_its_container_counts_a_view(
    api_with: Callable[..., Router], handler_client: Any, clock: Clock
) -> None:
    """Else every top-list request of a busy container would read every page's shards."""
    client = CountedBatchReads(handler_client)
    api = api_with(client, write_shards=SHARDS)
    answer(api, "POST", "/pages/%2F", source_ip="192.0.2.1")
    first = answer(api, "GET", "/pages", query="top=1")["pages"]
    answer(api, "POST", "/pages/%2F", source_ip="192.0.2.2")
    before = client.batch_reads

    kept = answer(api, "GET", "/pages", query="top=1")["pages"]
    clock.now_s += schema.TOP_PAGES_FOR_S
    again = answer(api, "GET", "/pages", query="top=1")["pages"]

    assert [page["views"] for page in first + kept + again] == [1, 1, 2]
    assert client.batch_reads - before == 1


def test_a_split_pages_reads_take_its_shards_once_a_second_per_container(
    api_with: Callable[..., Router], handler_client: Any, clock: Clock
) -> None:
    """However many GETs a popular page brings, its shards' items take a read a second from
    each container (resume.capacity): the answers are up to that old."""
    client = CountedBatchReads(handler_client)
    api = api_with(client, write_shards=SHARDS)
    answer(api, "POST", "/pages/%2F", source_ip="192.0.2.1")
    clock.now_s += schema.OTHER_SHARDS_FOR_S
    before = client.batch_reads

    reads = [answer(api, "GET", "/pages/%2F")["views"] for _ in range(5)]
    answer(api, "POST", "/pages/%2F", source_ip="192.0.2.2")
    stale = answer(api, "GET", "/pages/%2F")["views"]
    clock.now_s += schema.OTHER_SHARDS_FOR_S
    fresh = answer(api, "GET", "/pages/%2F")["views"]

    assert reads == [1] * 5
    assert (stale, fresh) == (1, 2)
    # The first GET, the view's other shards (a second after the first view's), the last GET.
    assert client.batch_reads - before == 3


def test_within_a_second_a_views_answer_has_its_shard_exact_and_the_others_as_read(
    sharded: Router,
) -> None:
    """A container reads a page's other shards at most once a second: a busy page's views
    cost no more reads than that, and their answers lag the others by that much at most."""
    answers = [
        answer(sharded, "POST", "/pages/%2F", source_ip=f"192.0.2.{n}")["views"] for n in range(4)
    ]

    # Shards 0, 1, 2, 0: the second and third views see the first's shard as first read
    # (1), the fourth its own shard exactly (2) and the others as read (0 and 0).
    assert answers == [1, 2, 2, 2]
    assert answer(sharded, "GET", "/pages/%2F")["views"] == 4  # a read sums them all


class ThrottledBatchReads:
    """The handler's client, its BatchGetItem throttled while `throttled` is set."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.throttled = False

    def __getattr__(self, name: str) -> Any:
        if name == "batch_get_item" and self.throttled:
            return self._refuse
        return getattr(self._client, name)

    @staticmethod
    def _refuse(**_: Any) -> None:
        error: Any = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": ""}}
        raise ClientError(error, "BatchGetItem")


def test_a_counted_hit_or_view_is_answered_200_when_its_other_shards_cannot_be_read(
    api_with: Callable[..., Router], handler_client: Any, clock: Clock
) -> None:
    """The write is done: a throttled read after it answers this shard's count, not 503
    (which says "nothing counted" when throttled)."""
    client = ThrottledBatchReads(handler_client)
    api = api_with(client, pick=in_turn(), write_shards=SHARDS)
    answer(api, "POST", "/", source_ip="192.0.2.1")
    answer(api, "POST", "/pages/%2F", source_ip="192.0.2.1")
    clock.now_s += schema.OTHER_SHARDS_FOR_S
    client.throttled = True

    total = answer(api, "POST", "/", source_ip="192.0.2.2")["visitors"]
    views = answer(api, "POST", "/pages/%2F", source_ip="192.0.2.2")["views"]
    client.throttled = False

    # Each its own shard's count and the others as this container last read them.
    assert (total, views) == (2, 2)
    assert answer(api, "GET", "/pages/%2F")["views"] == 2
    assert answer(api, "POST", "/", source_ip="192.0.2.3")["visitors"] == 3


@pytest.mark.parametrize(
    "order",
    [
        pytest.param((1, 1, 1, 2, 2, 2, 3, 3, 3), id="each page on every shard in turn"),
        # The list is full at the third view: the later shards of pages 1 and 2 are told
        # from the list as the refusal returned it.
        pytest.param((1, 2, 3, 2, 3, 1, 3, 1, 2), id="pages listed after the list is full"),
    ],
)
def test_an_unlisted_pages_shards_take_one_place_among_the_days_listed_pages(
    sharded: Router, clock: Clock, monkeypatch: pytest.MonkeyPatch, order: tuple[int, ...]
) -> None:
    """Pages 1 to 3 are "/made-up-1", "-7" and "-8", all in the first of 4 split lists
    (schema.unlisted_lists, by a hash of the page): it takes 2 of a cap of 8."""
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 8)
    monkeypatch.setattr(schema, "UNLISTED_ASKS_PER_LIST", 6)  # 8 pages x 3 shards: 4 lists
    names = {1: "%2Fmade-up-1", 2: "%2Fmade-up-7", 3: "%2Fmade-up-8"}
    today = utc_day(clock.now_s)[0]
    for n, page in enumerate(order):  # shards 0, 1, 2, 0, ...: each page on every shard
        answer(sharded, "POST", f"/pages/{names[page]}", source_ip=f"192.0.2.{n % 3}")

    pages = answer(sharded, "GET", "/stats/pages", query=f"from={today}&to={today}", headers=OWNER)

    assert pages["pages"] == [
        {"page": "/made-up-1", "views": 3, "visitors": 3},
        {"page": "/made-up-7", "views": 3, "visitors": 3},
    ]
    assert pages["other"] == {"views": 3}


def test_split_a_full_list_of_unlisted_pages_refuses_only_its_own_pages(
    sharded: Router, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages "/made-up-1", "-7", "-8" share the first of 4 lists, "/made-up-2" the last."""
    monkeypatch.setattr(schema, "MAX_UNLISTED_PAGES_PER_DAY", 8)
    monkeypatch.setattr(schema, "UNLISTED_ASKS_PER_LIST", 6)
    today = utc_day(clock.now_s)[0]
    for page in ("1", "7", "8", "2"):
        answer(sharded, "POST", f"/pages/%2Fmade-up-{page}", source_ip="192.0.2.1")

    pages = answer(sharded, "GET", "/stats/pages", query=f"from={today}&to={today}", headers=OWNER)

    assert [listed["page"] for listed in pages["pages"]] == [
        "/made-up-1",
        "/made-up-2",
        "/made-up-7",
    ]
    assert pages["other"] == {"views": 1}


def test_a_bounded_range_read_leaves_out_whole_days_only(
    sharded: Router, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stats_module, "MAX_PAGE_DAYS", 2)
    first = utc_day(clock.now_s)[0]
    for n in range(SHARDS):
        answer(sharded, "POST", "/pages/%2F", source_ip=f"192.0.2.{n}")
    clock.now_s += DAY
    second = utc_day(clock.now_s)[0]
    for n in range(2):
        answer(sharded, "POST", "/pages/%2Fposts%2Fhello", source_ip=f"192.0.2.{n + 10}")
    answer(sharded, "POST", "/pages/%2Fa", source_ip="192.0.2.20")

    csv = sharded.handle(
        http_event("GET", "/stats/export.csv", query=f"from={first}&to={second}", headers=OWNER)
    )["body"]

    # Three page days, two read: the first day's "/" is "other" whole, never a part of it.
    assert csv == (
        "date,page,views,visitors\r\n"
        f"{first},other,3,\r\n{second},/a,1,1\r\n{second},/posts/hello,2,2\r\n"
    )


class RecordedCalls:
    """The handler's client, recording each call's name and the key ID it names, if any."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        call = getattr(self._client, name)

        def recorded(**kw: Any) -> Any:
            self.calls.append((name, kw.get("Key", {}).get("ID", {}).get("S", "")))
            return call(**kw)

        return recorded


def test_split_a_page_in_the_days_unlisted_list_reads_it_and_writes_it_not(
    api_with: Callable[..., Router], handler_client: Any, clock: Clock
) -> None:
    """After midnight every shard of every unlisted page asks the one list within a second:
    split, they read it (three times the room of writes), and only a page not in it writes."""
    client = RecordedCalls(handler_client)
    api = api_with(client, pick=in_turn(), write_shards=SHARDS)
    for n in range(SHARDS):  # "/a" (only a glob admits it) on each shard
        answer(api, "POST", "/pages/%2Fa", source_ip=f"192.0.2.{n}")

    unlisted = "blog#unlisted#0of1"  # 100 pages' 3 shards: one list, its own key
    asks = [name for name, key in client.calls if key == unlisted]
    assert asks == ["get_item", "update_item", "get_item", "get_item"]
    today = utc_day(clock.now_s)[0]
    pages = answer(api, "GET", "/stats/pages", query=f"from={today}&to={today}", headers=OWNER)
    assert pages["pages"] == [{"page": "/a", "views": 3, "visitors": 3}]
