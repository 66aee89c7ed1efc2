"""The local cloud's demo history: what the function itself would have written and reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from resume_tools.local_cloud.demo_history import DEMO_DAYS, SPIKE_DAYS_AGO, seed_demo_history
from tests.support.tables import TEST_HISTORY_TABLE_NAME, TEST_TABLE_NAME, all_items
from visitor_counter import schema
from visitor_counter.day_reader import DayReader
from visitor_counter.events import EventStore
from visitor_counter.history_store import HistoryStore
from visitor_counter.live_pages import LivePages
from visitor_counter.stats import StatsQuery, StatsReader

TODAY = date(2026, 11, 26)
PAGES = ["/", "/posts/hello", "/about"]
SITE = "blog"


def seed(client: Any) -> None:
    seed_demo_history(
        client, TEST_HISTORY_TABLE_NAME, PAGES, TODAY, retention_days=400, site_id=SITE
    )


def reader(client: Any) -> StatsReader:
    history = HistoryStore(client, TEST_HISTORY_TABLE_NAME, SITE)
    live = LivePages(client, TEST_TABLE_NAME, history, SITE, retention_days=400)
    return StatsReader(DayReader(history, live), EventStore(client, TEST_HISTORY_TABLE_NAME, SITE))


def test_sixty_days_before_today_read_back_through_the_stats(dynamodb: Any) -> None:
    seed_demo_history(
        dynamodb, TEST_HISTORY_TABLE_NAME, PAGES, TODAY, retention_days=400, site_id=SITE
    )

    query = StatsQuery(date(2026, 9, 27), TODAY)
    days = reader(dynamodb).daily(query)["days"]
    pages = reader(dynamodb).pages(query)["pages"]
    sources = [row["source"] for row in reader(dynamodb).referrers(query)["referrers"]]

    assert [day["views"] > 0 for day in days] == [True] * DEMO_DAYS + [False]  # today: real
    assert {page["page"] for page in pages} == set(PAGES)
    assert sources[0] == "direct"
    assert "news.ycombinator.com" in sources


def test_the_site_day_sums_its_pages_views_and_the_spike_day_stands_out(dynamodb: Any) -> None:
    seed_demo_history(
        dynamodb, TEST_HISTORY_TABLE_NAME, PAGES, TODAY, retention_days=400, site_id=SITE
    )

    query = StatsQuery(date(2026, 9, 27), TODAY)
    site = {day["date"]: day["views"] for day in reader(dynamodb).daily(query)["days"]}
    by_page: dict[str, int] = {}
    for row in reader(dynamodb).export_csv(query).body.splitlines()[1:]:
        day, _, views, _ = row.split(",")
        by_page[day] = by_page.get(day, 0) + int(views)

    assert {day: views for day, views in site.items() if views} == by_page
    spike = date.fromordinal(TODAY.toordinal() - SPIKE_DAYS_AGO).isoformat()
    assert site[spike] > 3 * sorted(site.values())[len(site) // 2]


def test_the_same_history_every_run_and_items_expire_with_the_retention(dynamodb: Any) -> None:
    seed_demo_history(
        dynamodb, TEST_HISTORY_TABLE_NAME, PAGES, TODAY, retention_days=400, site_id=SITE
    )
    first = all_items(dynamodb)
    seed_demo_history(
        dynamodb, TEST_HISTORY_TABLE_NAME, PAGES, TODAY, retention_days=400, site_id=SITE
    )

    assert all_items(dynamodb) == first
    oldest = min(first, key=lambda item: item.get("day", {}).get("S", "~"))
    day = datetime.combine(date.fromisoformat(oldest["day"]["S"]), time(), UTC)
    day_end = (day + timedelta(days=1)).timestamp()
    assert int(oldest[schema.TTL_ATTRIBUTE]["N"]) == day_end + 400 * 86_400
