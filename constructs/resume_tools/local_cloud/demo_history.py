"""Plausible past days for the local cloud's stats page (`nox -s dev -- --seed-demo-history`).

Writes the days before today into the history table, as the function moves its pages' live
days there (visitor_counter.live_pages), each page's day and the site's, their sum:
a site that grows a little, quieter weekends, one post that made the front page of Hacker
News, search engines and a newsletter. Today is left to real views. Seeded by a fixed
number, so every run shows the same history.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

from visitor_counter import schema

DEMO_DAYS = 60
DEMO_SEED = 17
# Where a day's views come from, as weights (the spike adds Hacker News on top).
SOURCES = {
    schema.DIRECT_SOURCE: 46,
    "www.google.com": 24,
    "duckduckgo.com": 7,
    "github.com": 6,
    "www.linkedin.com": 5,
    "t.co": 4,
    "newsletter": 4,
    "www.bing.com": 3,
    "lobste.rs": 1,
}
SPIKE_DAYS_AGO = 12
# A batch write takes 25 items.
BATCH = 25


def seed_demo_history(
    dynamodb: Any,
    history_table: str,
    pages: list[str],
    today: date,
    retention_days: int,
    site_id: str,
) -> int:
    """Write DEMO_DAYS days before `today` for `pages`; return how many items were written."""
    rng = random.Random(DEMO_SEED)  # noqa: S311 - made-up numbers, repeatable on purpose
    weights = _page_weights(pages)
    items: list[dict[str, Any]] = []
    for back in range(DEMO_DAYS, 0, -1):
        day = today - timedelta(days=back)
        expires = _midnight_after(day) + retention_days * 86_400
        site_views = _site_views(rng, day, back)
        site = DaySum()
        for page, weight in weights.items():
            views = round(site_views * weight * rng.uniform(0.7, 1.3))
            if back == SPIKE_DAYS_AGO and page == _spike_page(pages):
                views += rng.randint(700, 900)
            if views == 0:
                continue
            visitors = max(1, round(views * rng.uniform(0.6, 0.8)))
            referrers = _referrers(rng, views, hacker_news=back == SPIKE_DAYS_AGO and weight < 0.5)
            # One person reads a few pages: most of a page's visitors came in by it (its
            # entries, the site's visitors), the rest from another page of the site.
            entries = max(1, round(visitors * 0.8))
            items.append(_item(site_id, day, page, views, visitors, entries, referrers, expires))
            site.add(views, entries, referrers)
        if site.views:
            items.append(
                _item(site_id, day, None, site.views, site.visitors, 0, site.referrers, expires)
            )
    for start in range(0, len(items), BATCH):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH]]
        dynamodb.batch_write_item(RequestItems={history_table: batch})
    return len(items)


def _site_views(rng: random.Random, day: date, back: int) -> int:
    """A day's views: a slow climb, quieter on weekends, some noise."""
    growth = 1 + (DEMO_DAYS - back) / DEMO_DAYS * 0.5
    weekend = 0.6 if day.weekday() >= 5 else 1.0
    return round(60 * growth * weekend * rng.uniform(0.8, 1.2))


def _page_weights(pages: list[str]) -> dict[str, float]:
    """Home gets the most views; the rest share the remainder, fewer for later pages."""
    ordered = sorted(pages, key=lambda page: (page != "/", page))
    raw = {page: (4.0 if page == "/" else 1.0 / (rank + 1)) for rank, page in enumerate(ordered)}
    total = sum(raw.values())
    return {page: weight / total for page, weight in raw.items()}


def _spike_page(pages: list[str]) -> str:
    """The post that made the front page: the first one that is not home."""
    posts = sorted(page for page in pages if page != "/")
    return posts[0] if posts else "/"


def _referrers(rng: random.Random, views: int, *, hacker_news: bool) -> Counter[str]:
    sources = list(SOURCES)
    weights = list(SOURCES.values())
    if hacker_news:
        sources.append("news.ycombinator.com")
        weights.append(400)
    return Counter(rng.choices(sources, weights=weights, k=views))


def _midnight_after(day: date) -> int:
    return (day - date(1970, 1, 1)).days * 86_400 + 86_400


class DaySum:
    """The site's day as the moves of its pages' days add it up: entries are its visitors."""

    def __init__(self) -> None:
        self.views = 0
        self.visitors = 0
        self.referrers: Counter[str] = Counter()

    def add(self, views: int, entries: int, referrers: Counter[str]) -> None:
        """Add a page's day."""
        self.views += views
        self.visitors += entries
        self.referrers.update(referrers)


def _item(
    site_id: str,
    day: date,
    page: str | None,
    views: int,
    visitors: int,
    entries: int,
    referrers: Counter[str],
    expires: int,
) -> dict[str, Any]:
    key = (
        schema.site_history_key(site_id) if page is None else schema.page_history_key(site_id, page)
    )
    item: dict[str, Any] = {
        schema.PARTITION_KEY: {"S": key},
        schema.HISTORY_SORT_KEY: {"S": day.isoformat()},
        schema.VIEWS_ATTRIBUTE: {"N": str(views)},
        schema.PAGE_VISITORS_ATTRIBUTE: {"N": str(visitors)},
        schema.TTL_ATTRIBUTE: {"N": str(expires)},
        **{schema.referrer_attribute(s): {"N": str(n)} for s, n in referrers.items()},
    }
    hosts = sorted(set(referrers) - {schema.DIRECT_SOURCE, schema.OTHER_SOURCE})
    if hosts:
        item[schema.REFERRER_HOSTS_ATTRIBUTE] = {"SS": hosts}
    if page is not None:
        item[schema.ENTRIES_ATTRIBUTE] = {"N": str(entries)}
        item[schema.SITE_ATTRIBUTE] = {"S": site_id}
        item[schema.PAGE_ATTRIBUTE] = {"S": page}
    return item
