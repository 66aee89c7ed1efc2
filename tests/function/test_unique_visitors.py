"""Unique visitors without stored IPs: salted hashes, daily rotation, deletion, and privacy."""

from __future__ import annotations

import io
import json
from typing import Any

from tests.support.clock import Clock
from tests.support.events import http_event
from tests.support.faults import fail_operation
from tests.support.tables import TEST_DAILY_TABLE_NAME, all_items
from visitor_counter import schema
from visitor_counter.daily_store import DailyStore
from visitor_counter.router import Router
from visitor_counter.settings import Settings
from visitor_counter.telemetry import RequestLog
from visitor_counter.visitors import DailySalt, page_tag, utc_day, visitor_digest
from visitor_counter.wiring import build_router

# Distinctive values, so finding any part of them in the table or the logs means a leak.
PROBE_IP = "198.51.100.77"
PROBE_AGENT = "Mozilla/5.0 (X11; Linux x86_64) PrivacyProbe/9.9.9 Firefox/130.0"
DAY = 86_400


def visit(api: Router, page: str = "%2Fa", **kwargs: Any) -> dict[str, Any]:
    response = api.handle(http_event("POST", f"/pages/{page}", **kwargs))
    assert response["statusCode"] == 200, response
    return dict(json.loads(response["body"]))


def items_of_kind(dynamodb: Any, kind: str) -> list[dict[str, Any]]:
    return [item for item in all_items(dynamodb) if item["ID"]["S"].split("#")[1] == kind]


def test_neither_ip_nor_user_agent_reaches_the_table_or_the_log(
    api: Router, dynamodb: Any, log_stream: io.StringIO
) -> None:
    visit(api, source_ip=PROBE_IP, user_agent=PROBE_AGENT)
    visit(api, "%2Fb", source_ip=PROBE_IP, user_agent=PROBE_AGENT)
    api.handle(http_event("POST", source_ip=PROBE_IP, user_agent=PROBE_AGENT))

    items = all_items(dynamodb)
    # Site total, 2 pages (their live days), salt, the client item, the site's day (its
    # unlisted pages): all scanned.
    assert len(items) == 6
    stored = json.dumps(items, default=repr)
    logged = log_stream.getvalue()
    for text in (stored, logged):
        assert PROBE_IP not in text
        assert "198.51.100" not in text
        assert "PrivacyProbe" not in text
    assert len(logged.splitlines()) == 3


def test_a_client_item_is_keyed_hashes_hourly_counts_flags_and_an_expiry_only(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    visit(api)
    visit(api)
    visit(api, "%2Fb")

    (client,) = items_of_kind(dynamodb, "client")
    (salt,) = items_of_kind(dynamodb, "salt")
    tag_a, tag_b = (page_tag(bytes(salt["salt"]["B"]), page) for page in ("/a", "/b"))
    hour = f"h{int(clock.now_s // 3600 % 24):02d}"
    assert set(client) == {
        "ID",
        "pages",
        "seen",
        hour + tag_a,
        hour + tag_b,
        "visitor",
        "expires_at",
    }
    assert client[hour + tag_a] == {"N": "2"}
    assert set(client["pages"]["SS"]) == set(client["seen"]["SS"]) == {tag_a, tag_b}
    assert len(client["ID"]["S"].split("#")[2]) == 32
    assert int(client["expires_at"]["N"]) == utc_day(clock.now_s)[1]


def test_a_clients_page_keeps_only_the_current_hours_count(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    visit(api)
    clock.now_s += 3600

    visit(api)

    (client,) = items_of_kind(dynamodb, "client")
    hours = sorted(name for name in client if name.startswith("h"))
    assert hours == [f"h{int(clock.now_s // 3600 % 24):02d}" + hours[0][3:]]
    assert client[hours[0]] == {"N": "1"}


def test_one_address_is_one_visitor_of_the_site_and_of_each_page(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    visit(api)
    visit(api, "%2Fb")
    visit(api, "%2Fb")
    visit(api, source_ip="192.0.2.77")

    day = utc_day(clock.now_s)[0]
    live = {
        item["ID"]["S"]: tuple(
            int(item[name]["N"])
            for name in (
                schema.DAY_VIEWS_ATTRIBUTE,
                schema.DAY_VISITORS_ATTRIBUTE,
                schema.DAY_ENTRIES_ATTRIBUTE,
            )
        )
        for item in all_items(dynamodb)
        if item.get(schema.DAY_ATTRIBUTE, {}).get("S") == day and "#page#" in item["ID"]["S"]
    }
    # Views, visitors of the page, new visitors of the site (2: one each address).
    assert live == {"blog#page#/a": (2, 2, 2), "blog#page#/b": (2, 1, 0)}


def test_the_days_salt_is_random_and_expires_at_midnight(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    visit(api)

    (salt,) = items_of_kind(dynamodb, "salt")
    day, midnight = utc_day(clock.now_s)
    assert salt["ID"]["S"] == f"blog#salt#{day}"
    assert len(salt["salt"]["B"]) == 32
    assert int(salt["expires_at"]["N"]) == midnight


def test_the_next_day_the_same_visitor_is_new_and_yesterdays_salt_is_gone(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    visit(api)
    (old_salt,) = items_of_kind(dynamodb, "salt")
    (old_client,) = items_of_kind(dynamodb, "client")

    clock.now_s += DAY
    counts = visit(api)

    assert counts == {"page": "/a", "views": 2, "visitors": 2}
    (new_salt,) = items_of_kind(dynamodb, "salt")
    assert new_salt["ID"]["S"] == f"blog#salt#{utc_day(clock.now_s)[0]}"
    assert new_salt["salt"] != old_salt["salt"]
    clients = {item["ID"]["S"] for item in items_of_kind(dynamodb, "client")}
    assert old_client["ID"]["S"] in clients  # left to its TTL...
    assert len(clients) == 2  # ...and not linkable: today's hash differs


def test_containers_share_the_days_salt(
    settings: Settings, handler_client: Any, dynamodb: Any, clock: Clock
) -> None:
    first = build_router(
        settings, handler_client, requests=RequestLog("blog", "ERROR", io.StringIO()), clock=clock
    )
    second = build_router(
        settings, handler_client, requests=RequestLog("blog", "ERROR", io.StringIO()), clock=clock
    )
    visit(first)

    counts = visit(second)

    assert counts == {"page": "/a", "views": 2, "visitors": 1}
    assert len(items_of_kind(dynamodb, "salt")) == 1


def test_a_salt_made_by_another_container_meanwhile_wins(
    handler_client: Any, dynamodb: Any, clock: Clock
) -> None:
    class LateReader(DailyStore):
        """Reads "no salt yet", then another container writes its salt before ours."""

        reads = 0

        def salt(self, day: str) -> bytes | None:
            self.reads += 1
            if self.reads == 1:
                DailyStore.create_salt(self, day, b"t" * 32, utc_day(clock.now_s)[1])
                return None
            return super().salt(day)

    salt = DailySalt(LateReader(handler_client, TEST_DAILY_TABLE_NAME, "blog"), clock)

    assert salt.today()[0] == b"t" * 32
    assert len(items_of_kind(dynamodb, "salt")) == 1


def test_the_digest_depends_on_every_input() -> None:
    base = (b"s" * 32, "blog", "192.0.2.1")
    variants = [
        (b"x" * 32, *base[1:]),
        (base[0], "other", base[2]),
        (*base[:2], "192.0.2.2"),
    ]

    digests = {visitor_digest(*args) for args in [base, *variants]}

    assert len(digests) == 4
    assert visitor_digest(*base) == visitor_digest(*base)
    assert page_tag(b"s" * 32, "/a") not in {page_tag(b"x" * 32, "/a"), page_tag(b"s" * 32, "/b")}


def test_unique_visitor_and_bot_metrics(api: Router, log_stream: io.StringIO) -> None:
    visit(api)
    visit(api)
    visit(api, user_agent="Googlebot/2.1")

    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    assert [(line["UniqueVisitors"], line["CountedViews"], line["BotHits"]) for line in lines] == [
        (1, 1, 0),
        (0, 1, 0),
        (0, 0, 1),
    ]
    assert [line["outcome"] for line in lines] == ["counted", "counted", "bot"]


def test_salts_of_days_without_views_are_swept_too(
    api: Router, dynamodb: Any, clock: Clock
) -> None:
    visit(api)

    clock.now_s += 5 * DAY  # four days without a single view
    visit(api)

    (salt,) = items_of_kind(dynamodb, "salt")
    assert salt["ID"]["S"] == f"blog#salt#{utc_day(clock.now_s)[0]}"


def test_a_failed_sweep_does_not_fail_the_view(
    api: Router, dynamodb: Any, handler_client: Any, clock: Clock
) -> None:
    visit(api)
    fail_operation(handler_client, "ThrottlingException", operation="BatchWriteItem")

    clock.now_s += DAY
    counts = visit(api)

    assert counts == {"page": "/a", "views": 2, "visitors": 2}
    assert len(items_of_kind(dynamodb, "salt")) == 2  # yesterday's is left to its TTL
