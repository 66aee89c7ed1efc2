"""Custom events: a click the owner named (`data-event`), an outbound link, a download.

An event is counted for a page by the page's own route and rules (allowed origin, bot
rules, the client's hourly limit per event, the daily ceiling). What it writes:

- a name the site lists is always admitted (and written nowhere); one only a prefix
  ("contact-*", "*") admits joins the day's set of such names (``{site}#events``), read
  first and written once, refused past MAX_EVENT_NAMES_PER_DAY of them, so a flood of
  made-up names cannot stop the site's own from counting;
- the client's item (the daily table), as a view does with the event's keyed tag: its
  hourly limit, and whether this is the client's first of that event today (a unique);
- one UpdateItem of the event's day in the history (``{site}#event#{name}``, in the view's
  write shard): its count, its visitors, and its count and unique visitors on the page if
  the site lists the page (at most MAX_EVENT_PAGES_PER_DAY of them a day, a short hash of
  each in the set that counts them; the rest as "other"), so a made-up page id cannot grow
  the item (at most ~7.6 KB with every set full of the longest ids; resume.capacity). A
  unique on a page is the client's first of the event on that page today: its item keeps
  a keyed tag of the pair, within its day's cap of events.
  Where the event went (`target`: a download's file, an outbound link's site) is counted
  in the same update: by name where the site's pages link (the deploy lists them), the
  day's first MAX_EVENT_TARGETS_PER_DAY; any other, and the rest, as "other";
- the day's estimate, as a view adds to it: the daily ceiling (max_views_per_day) counts
  events too.

So an event costs two writes, as a view does: two write units while its day is small, up
to 8 for a day at its bound (and, for a made-up name, a read a container and day, and a
write a name and day; a set found full, one refused write a container, once).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from visitor_counter import schema
from visitor_counter.daily_store import DailyStore
from visitor_counter.errors import BadRequest, ConditionFailed
from visitor_counter.history_store import day_end, page_hash
from visitor_counter.store import call_dynamodb, days_of, number_or_zero, read_strings, read_text
from visitor_counter.visitors import (
    DailySalt,
    client_address,
    event_page_tag,
    event_tag,
    visitor_digest,
)

# Distinct event names a day takes: a site's own few, and room for a flood of made-up ones to
# stop at without burying them.
MAX_EVENT_NAMES_PER_DAY: Final = 20
# Pages an event's day counts it on by name (the rest as OTHER_PAGE): the item stays small.
MAX_EVENT_PAGES_PER_DAY: Final = 20
# Names a range's stats read at most: a Query per name and write shard.
MAX_EVENT_NAMES_READ: Final = 40
OTHER_PAGE: Final = "other"
# Full sets a container remembers (a day's names times the shards times 2 sets, at most).
MAX_FULL_KEPT: Final = 1_000
NAMES_ATTRIBUTE: Final = "names"
COUNT_ATTRIBUTE: Final = "count"
PAGES_ATTRIBUTE: Final = "pages"
PAGE_PREFIX: Final = "p:"
# An event's unique visitors on a listed page, by the page's hash (the item stays small).
PAGE_VISITORS_PREFIX: Final = "u:"
# Where an event went (a download's file, an outbound link's site): counted by name, the
# day's first MAX_EVENT_TARGETS_PER_DAY of them (a short hash of each in TARGETS_ATTRIBUTE),
# the rest together in OTHER_TARGET_ATTRIBUTE ('#' is in no target).
MAX_EVENT_TARGETS_PER_DAY: Final = 10
TARGETS_ATTRIBUTE: Final = "targets"
TARGET_PREFIX: Final = "t:"
OTHER_TARGET_ATTRIBUTE: Final = "t#other"
TOO_MANY_NAMES: Final = (
    f"This site counted {MAX_EVENT_NAMES_PER_DAY} different events today, its most; an "
    "event it has not counted today counts again tomorrow."
)


def _target_of(attribute: str) -> str | None:
    """The target an event day's attribute counts ("other" for the rest), or None."""
    if attribute == OTHER_TARGET_ATTRIBUTE:
        return OTHER_PAGE
    return attribute[len(TARGET_PREFIX) :] if attribute.startswith(TARGET_PREFIX) else None


def _most_first(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """Targets by count, then name; "other" last."""
    return tuple(
        sorted(counts.items(), key=lambda pair: (pair[0] == OTHER_PAGE, -pair[1], pair[0]))
    )


@dataclass(frozen=True)
class _Bound:
    """A day's bounded set (pages, targets): its attribute, its name in a request."""

    attribute: str
    tag: str

    @property
    def most(self) -> int:
        """Its most members (read when asked: tests lower them)."""
        return MAX_EVENT_PAGES_PER_DAY if self is PAGES else MAX_EVENT_TARGETS_PER_DAY


PAGES: Final = _Bound(PAGES_ATTRIBUTE, "pages")
TARGETS: Final = _Bound(TARGETS_ATTRIBUTE, "targets")


@dataclass(frozen=True)
class EventCounts:
    """An event's count and unique visitors over a range (of the site, or on one page)."""

    event: str
    count: int
    visitors: int
    # Where it went, most first, "other" last: (target, count); the site's only.
    targets: tuple[tuple[str, int], ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The event's JSON object in the stats API."""
        answer: dict[str, Any] = {
            "event": self.event,
            "count": self.count,
            "visitors": self.visitors,
        }
        if self.targets:  # events that go nowhere (a named click) answer as before
            answer["targets"] = [{"target": target, "count": n} for target, n in self.targets]
        return answer


@dataclass(frozen=True)
class EventDay:
    """One event's day, summed over its write shards."""

    day: str
    event: str
    count: int
    visitors: int


class EventStore:
    """Reads and writes one site's events in the history table."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        site_id: str,
        shards: int = 1,
        listed: frozenset[str] = frozenset(),
    ) -> None:
        self._client = client
        self._table = table_name
        self._site = site_id
        self._shards = shards
        self._listed = listed  # the names the site lists (not only a prefix admits)
        # The day's set of made-up names as this container last knew it, and whether full.
        self._names: tuple[str, frozenset[str], bool] = ("", frozenset(), False)
        # The day's sets (pages, targets) of an event and shard this container found full,
        # and their members then: those still count by name.
        self._full: dict[tuple[str, str, int, _Bound], frozenset[str]] = {}

    def admit(self, day: str, name: str, *, expires_at: int) -> None:
        """Make `name` one of the day's event names, or BadRequest past the day's cap.

        A name the site lists is always admitted, and written nowhere: the
        stats read the site's names besides the day's. A name only a prefix admits, which
        anyone may make up, joins the day's set while it has fewer than
        MAX_EVENT_NAMES_PER_DAY: a strongly consistent read of the set first, a conditional
        ADD only for a name not in it. The container keeps the set as last read, and once
        it is full answers from it: a flood of made-up names costs a read a container, not
        a write a request, on the one key (resume.capacity).
        """
        if name in self._listed:
            return
        known_day, known, full = self._names
        if known_day != day:
            known, full = frozenset(), False
        if name in known:
            return
        if not full:
            key = self._key(schema.event_names_key(self._site), day)
            found = (
                call_dynamodb(
                    self._client.get_item, TableName=self._table, Key=key, ConsistentRead=True
                ).get("Item")
                or {}
            )
            known = read_strings(found, NAMES_ATTRIBUTE)
            full = len(known) >= MAX_EVENT_NAMES_PER_DAY
            self._names = (day, known, full)
            if name in known:
                return
        if full:
            raise BadRequest(400, TOO_MANY_NAMES)
        try:
            call_dynamodb(
                self._client.update_item,
                TableName=self._table,
                Key=self._key(schema.event_names_key(self._site), day),
                UpdateExpression="ADD #names :name SET #expires = :expires",
                ConditionExpression=(
                    "attribute_not_exists(#names) OR contains(#names, :one) OR size(#names) < :most"
                ),
                ExpressionAttributeNames={
                    "#names": NAMES_ATTRIBUTE,
                    "#expires": schema.TTL_ATTRIBUTE,
                },
                ExpressionAttributeValues={
                    ":name": {"SS": [name]},
                    ":one": {"S": name},
                    ":most": {"N": str(MAX_EVENT_NAMES_PER_DAY)},
                    ":expires": {"N": str(expires_at)},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ConditionFailed as refused:
            found_names = read_strings(refused.item or {}, NAMES_ATTRIBUTE)
            self._names = (day, found_names, len(found_names) >= MAX_EVENT_NAMES_PER_DAY)
            raise BadRequest(400, TOO_MANY_NAMES) from None
        self._names = (day, known | {name}, full)

    def add(
        self,
        day: str,
        name: str,
        page: str,
        *,
        listed: bool,
        new_visitor: bool,
        shard: int,
        expires_at: int,
        new_page_visitor: bool = False,
        target: str | None = None,
        target_listed: bool = False,
    ) -> None:
        """Count one event on `page` (and at `target`, if any) in its day's write shard.

        On a page the site lists, by page while the day has room for it, with the page's
        unique visitors (`new_page_visitor`: the client's first of the event there today);
        else, and on any other page, as "other". A target likewise: by name where the site's
        pages link (`target_listed`: no visitor can make one up) while the day has room. A
        day found full (of pages, of targets) is not asked again by this container; finding
        it full costs one refused write, once.
        """
        key = self._key(schema.shard_key(schema.event_key(self._site, name), shard), day)
        names = {
            "#count": COUNT_ATTRIBUTE,
            "#visitors": schema.PAGE_VISITORS_ATTRIBUTE,
            "#expires": schema.TTL_ATTRIBUTE,
        }
        values: dict[str, Any] = {
            ":one": {"N": "1"},
            ":new": {"N": "1" if new_visitor else "0"},
            ":expires": {"N": str(expires_at)},
        }
        adds = ["#count :one", "#visitors :new"]
        bounded: list[tuple[_Bound, str]] = []  # sets to join, each with its condition
        hashed_page = page_hash(page)
        place = self._place((day, name, shard, PAGES), hashed_page) if listed else None
        if place is not None:
            names |= {"#on": PAGE_PREFIX + page, "#unique": PAGE_VISITORS_PREFIX + hashed_page}
            values[":newhere"] = {"N": "1" if new_page_visitor else "0"}
            adds += ["#on :one", "#unique :newhere"]
            bounded += [(PAGES, hashed_page)] if place == "join" else []
        else:
            names["#other"] = PAGE_PREFIX + OTHER_PAGE
            adds.append("#other :one")
        if target is not None:
            hashed_target = page_hash(target)
            place = (
                self._place((day, name, shard, TARGETS), hashed_target) if target_listed else None
            )
            names["#to"] = TARGET_PREFIX + target if place else OTHER_TARGET_ATTRIBUTE
            adds.append("#to :one")
            bounded += [(TARGETS, hashed_target)] if place == "join" else []
        conditions = []
        for bound, hashed in bounded:
            names[f"#{bound.tag}"] = bound.attribute
            values |= {
                f":{bound.tag}": {"SS": [hashed]},
                f":{bound.tag}_this": {"S": hashed},
                f":{bound.tag}_most": {"N": str(bound.most)},
            }
            adds.append(f"#{bound.tag} :{bound.tag}")
            conditions.append(
                f"(attribute_not_exists(#{bound.tag}) OR contains(#{bound.tag}, :{bound.tag}_this)"
                f" OR size(#{bound.tag}) < :{bound.tag}_most)"
            )
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": key,
            "UpdateExpression": f"ADD {', '.join(adds)} SET #expires = :expires",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        if conditions:
            request["ConditionExpression"] = " AND ".join(conditions)
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            call_dynamodb(self._client.update_item, **request)
        except ConditionFailed as refused:  # a set is full: which one, the item says
            found = refused.item or {}
            if len(self._full) >= MAX_FULL_KEPT:
                self._full.clear()
            members = {
                bound: frozenset((found.get(bound.attribute) or {}).get("SS") or [])
                for bound, _ in bounded
            }
            full = [
                bound
                for bound, hashed in bounded
                if len(members[bound]) >= bound.most and hashed not in members[bound]
            ]
            # Without the item (or with a set that filled and emptied since), every set:
            # the retry then has no condition, so it is the last.
            for bound in full or list(members):
                self._full[(day, name, shard, bound)] = members[bound]
            self.add(
                day,
                name,
                page,
                listed=listed,
                new_visitor=new_visitor,
                shard=shard,
                expires_at=expires_at,
                new_page_visitor=new_page_visitor,
                target=target,
                target_listed=target_listed,
            )

    def _place(self, full_key: tuple[str, str, int, _Bound], hashed: str) -> str | None:
        """How a member counts: "join" its day's set, "known" in it, or None ("other").

        None: the day's set was found full without it, past the day's most.
        """
        members = self._full.get(full_key)
        if members is None:
            return "join"
        return "known" if hashed in members else None

    def totals(self, first: str, last: str, page: str | None) -> list[EventCounts]:
        """Each event's count over the range, most first: on `page` only, when given.

        The site's: with where each event went (its targets); on one page, none (a target
        is counted by the event's day, not by page).
        """
        counts: dict[str, int] = {}
        visitors: dict[str, int] = {}
        targets: dict[str, dict[str, int]] = {}
        counted = COUNT_ATTRIBUTE if page is None else PAGE_PREFIX + page
        unique = (
            schema.PAGE_VISITORS_ATTRIBUTE
            if page is None
            else PAGE_VISITORS_PREFIX + page_hash(page)
        )
        for name in self.names(first, last):
            went = targets.setdefault(name, {})
            for item in self._event_days(name, first, last):
                counts[name] = counts.get(name, 0) + number_or_zero(item, counted)
                visitors[name] = visitors.get(name, 0) + number_or_zero(item, unique)
                for attribute in item if page is None else ():
                    target = _target_of(attribute)
                    if target is not None:
                        went[target] = went.get(target, 0) + number_or_zero(item, attribute)
        found = [
            EventCounts(name, count, visitors[name], _most_first(targets[name]))
            for name, count in counts.items()
            if count
        ]
        return sorted(found, key=lambda event: (-event.count, event.event))

    def days(self, first: str, last: str) -> list[EventDay]:
        """Every event's days in the range, each summed over its write shards."""
        found: dict[tuple[str, str], tuple[int, int]] = {}
        for name in self.names(first, last):
            for item in self._event_days(name, first, last):
                day = read_text(item, schema.HISTORY_SORT_KEY)
                count, visitors = found.get((day, name), (0, 0))
                found[day, name] = (
                    count + number_or_zero(item, COUNT_ATTRIBUTE),
                    visitors + number_or_zero(item, schema.PAGE_VISITORS_ATTRIBUTE),
                )
        return [EventDay(day, name, *counted) for (day, name), counted in sorted(found.items())]

    def names(self, first: str, last: str) -> list[str]:
        """The event names of the range's days, at most MAX_EVENT_NAMES_READ.

        The site's own (`listed`) first, then the names of the most days: a flood of
        made-up names, each on few days, cannot push out the site's.
        """
        days: dict[str, int] = dict.fromkeys(self._listed, 0)
        for item in days_of(
            self._client, self._table, schema.event_names_key(self._site), first, last
        ):
            for name in read_strings(item, NAMES_ATTRIBUTE):
                days[name] = days.get(name, 0) + 1
        ranked = sorted(days, key=lambda name: (name not in self._listed, -days[name], name))
        return ranked[:MAX_EVENT_NAMES_READ]

    def _event_days(self, name: str, first: str, last: str) -> Iterator[Any]:
        for shard in range(self._shards):
            key = schema.shard_key(schema.event_key(self._site, name), shard)
            yield from days_of(self._client, self._table, key, first, last)

    @staticmethod
    def _key(item_id: str, day: str) -> dict[str, Any]:
        return {schema.PARTITION_KEY: {"S": item_id}, schema.HISTORY_SORT_KEY: {"S": day}}


class EventCounter:
    """Counts an event on a page within its client's limits, a unique visitor per day."""

    def __init__(
        self,
        events: EventStore,
        daily: DailyStore,
        salt: DailySalt,
        *,
        site_id: str,
        per_client_hour: int,
        retention_days: int,
        estimate: Callable[[str], None] = lambda day: None,
        shards: int = 1,
        clock: Callable[[], float] = time.time,
        pick: Callable[[int], int] = lambda shards: 0,
    ) -> None:
        self._events = events
        self._daily = daily
        self._salt = salt
        self._estimate = estimate  # adds an event to the daily ceiling's estimate
        self._site = site_id
        self._limit = per_client_hour
        self._retention_s = retention_days * 86_400
        self._shards = shards
        self._clock = clock
        self._pick = pick

    def count(
        self,
        name: str,
        page: str,
        ip: str,
        *,
        track: bool,
        page_listed: bool,
        target: str | None = None,
        target_listed: bool = False,
    ) -> bool:
        """Count `name` on `page` (at `target`) unless the client is over its hourly limit.

        True when counted. The name is admitted first (BadRequest past the day's cap, with
        nothing written); a client that opted out (not `track`) is never a unique visitor.
        `page_listed`: the site lists the page (else its events count there as "other").
        `target`: where it went (event_target), counted with the event's day: by name when
        the site's pages link there (`target_listed`), else as "other".
        """
        salt, midnight, day = self._salt.today()
        kept_until = day_end(day) + self._retention_s
        self._events.admit(day, name, expires_at=kept_until)
        client = self._daily.record_view(
            visitor_digest(salt, self._site, client_address(ip)),
            event_tag(salt, name),
            # Uniques by page where the event's day counts it by page: listed pages only.
            pair_tag=event_page_tag(salt, name, page) if page_listed else None,
            hour=int(self._clock() // 3600 % 24),
            limit=self._limit,
            visitor=track,
            source_tag=None,
            expires_at=midnight,
            site_visit=False,
        )
        if not client.within_limit:
            return False
        self._events.add(
            day,
            name,
            page,
            listed=page_listed,
            new_visitor=client.new_page_visitor,
            new_page_visitor=client.new_pair_visitor,
            shard=self._pick(self._shards),
            expires_at=kept_until,
            target=target,
            target_listed=target_listed,
        )
        self._estimate(day)
        return True
