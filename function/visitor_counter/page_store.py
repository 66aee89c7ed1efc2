"""DynamoDB access for per-page counts and the list of known pages."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from visitor_counter import schema
from visitor_counter.errors import CountUnavailable
from visitor_counter.store import batch_get, call_dynamodb, read_number

# Split pages whose last read a container keeps; past it, it forgets them all (a flood of
# made-up ids empties the list instead of growing it).
MAX_READS_KEPT: Final = 1_000


@dataclass(frozen=True)
class PageCounts:
    """A page's views and unique visitors, as the API answers them."""

    page: str
    views: int
    visitors: int

    def as_json(self) -> dict[str, Any]:
        """The page's JSON object in API responses."""
        return {"page": self.page, "views": self.views, "visitors": self.visitors}


class PageStore:
    """Reads and writes one site's page items in the counter table."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        site_id: str,
        shards: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id
        self._shards = shards
        self._clock = clock
        # Split pages' sums as this container last read them: when, and the counts.
        self._read: dict[str, tuple[float, PageCounts | None]] = {}

    def read(self, page: str) -> PageCounts | None:
        """The page's counts (its write shards' sum), None when it was never viewed.

        Unsplit, one strongly consistent read: a read right after a view includes it. Split,
        every shard is read eventually consistent (half the units), and the sum is kept
        schema.OTHER_SHARDS_FOR_S per page and container, as a view's answer keeps the other
        shards: so a page's items take at most a read a second from each container, however
        many GETs its popularity brings (resume.capacity), and a split page's GET answers
        up to a second old.
        """
        if self._shards > 1:
            now = self._clock()
            read_at, counts = self._read.get(page, (-schema.OTHER_SHARDS_FOR_S, None))
            if 0 <= now - read_at < schema.OTHER_SHARDS_FOR_S:  # a clock set back reads
                return counts
            counts = _sum(page, batch_get(self._client, self._table, self._keys(page)))
            if len(self._read) >= MAX_READS_KEPT:
                self._read.clear()
            self._read[page] = (now, counts)
            return counts
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table,
            Key=self._keys(page)[0],
            # A read right after a view must include it.
            ConsistentRead=True,
        )
        item = response.get("Item")
        return page_counts(item, page) if item else None

    def counts_of(self, pages: Sequence[str]) -> list[PageCounts]:
        """The counts of `pages` (those never viewed left out): a BatchGetItem per 100.

        Eventually consistent reads, half a read unit a page. Keys DynamoDB leaves
        unprocessed (throttling) are asked again, BATCH_ATTEMPTS times in all.
        """
        keys = [key for page in pages for key in self._keys(page)]
        items = batch_get(
            self._client,
            self._table,
            keys,
            ProjectionExpression="#page, #views, #visitors",
            ExpressionAttributeNames={
                "#page": schema.PAGE_ATTRIBUTE,
                "#views": schema.VIEWS_ATTRIBUTE,
                "#visitors": schema.PAGE_VISITORS_ATTRIBUTE,
            },
        )
        by_page: dict[str, list[Any]] = {}
        for item in items:
            by_page.setdefault(_page_of(item), []).append(item)
        return [counts for page, shards in by_page.items() if (counts := _sum(page, shards))]

    def known_pages(self) -> tuple[list[str], list[str], list[str]] | None:
        """The page ids, patterns and link targets the deploy allows, None without a list."""
        response = call_dynamodb(
            self._client.get_item,
            TableName=self._table,
            Key=self._key(schema.known_pages_key(self._site)),
        )
        item = response.get("Item")
        if not item:
            return None
        return (
            _lines(item, schema.KNOWN_PAGES_ATTRIBUTE),
            _lines(item, schema.PAGE_PATTERNS_ATTRIBUTE),
            _lines(item, schema.KNOWN_TARGETS_ATTRIBUTE),
        )

    def _keys(self, page: str) -> list[dict[str, Any]]:
        """The keys of the page's write shards' items."""
        page_key = schema.page_key(self._site, page)
        return [self._key(schema.shard_key(page_key, shard)) for shard in range(self._shards)]

    @staticmethod
    def _key(item_id: str) -> dict[str, Any]:
        return {schema.PARTITION_KEY: {"S": item_id}}


def _sum(page: str, items: list[Any]) -> PageCounts | None:
    """A page's counts, its write shards' items added up; None without any."""
    if not items:
        return None
    counts = [page_counts(item, page) for item in items]
    return PageCounts(page, sum(c.views for c in counts), sum(c.visitors for c in counts))


def _lines(item: Any, attribute: str) -> list[str]:
    try:
        text = str(item[attribute]["S"]) if attribute in item else ""
    except (KeyError, TypeError) as exc:
        raise CountUnavailable(f"known-pages item with a non-string {attribute!r}") from exc
    return [line for line in text.splitlines() if line]


def _page_of(item: Any) -> str:
    try:
        return str(item[schema.PAGE_ATTRIBUTE]["S"])
    except (KeyError, TypeError) as exc:
        raise CountUnavailable("page item without its page id") from exc


def page_counts(item: Any, page: str) -> PageCounts:
    """A page item's all-time counts."""
    return PageCounts(
        page=page,
        views=read_number(item, schema.VIEWS_ATTRIBUTE),
        visitors=read_number(item, schema.PAGE_VISITORS_ATTRIBUTE),
    )
