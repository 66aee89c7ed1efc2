"""Write units from stored items, by DynamoDB's own size rules (not moto's ConsumedCapacity).

DynamoDB bills a write by the item's size, the larger of before and after, in 1 KB units;
each global secondary index the item is in takes its own write when the write changes the
index's keys or projected attributes (two when its key changes: a delete and a put).
Item sizes (DynamoDB developer guide, "Item sizes and formats"): an attribute's name in
UTF-8 bytes plus its value: a string its UTF-8 bytes, a number 1 byte per two significant
digits plus 1, a boolean or null 1, a set the sum of its elements, a list or map 3 bytes
plus 1 a member plus the members. An index entry is the table's key, the index's key and
its projected attributes, plus 100 bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

UNIT_BYTES = 1024
INDEX_ENTRY_OVERHEAD = 100

Item = Mapping[str, Any]  # DynamoDB's JSON, as botocore returns it ({"S": ...}, {"N": ...})


@dataclass(frozen=True)
class Index:
    """A global secondary index: its key attributes and the attributes it projects.

    `projected`: None for all of them (projection ALL), () for the keys only.
    """

    keys: tuple[str, ...]
    projected: tuple[str, ...] | None

    def entry(self, item: Item, table_keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The item's entry in the index, None when the item lacks the index's keys."""
        if not all(key in item for key in self.keys):
            return None
        if self.projected is None:
            return dict(item)
        names = {*table_keys, *self.keys, *self.projected}
        return {name: item[name] for name in names if name in item}


def value_bytes(value: Mapping[str, Any]) -> int:
    """The size of one attribute value."""
    (kind, data), *_ = value.items()
    if kind == "S":
        return len(str(data).encode())
    if kind == "B":
        return len(data)
    if kind == "N":
        return number_bytes(str(data))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in data)
    if kind == "NS":
        return sum(number_bytes(n) for n in data)
    if kind == "BS":
        return sum(len(b) for b in data)
    if kind == "L":
        return 3 + sum(1 + value_bytes(member) for member in data)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_bytes(v) for k, v in data.items())
    raise ValueError(f"not a DynamoDB value type: {kind}")


def number_bytes(text: str) -> int:
    """1 byte per two significant digits, plus 1."""
    digits = Decimal(text).normalize().as_tuple().digits
    significant = len(digits) if any(digits) else 1
    return math.ceil(significant / 2) + 1


def item_bytes(item: Item | None) -> int:
    """The size of an item (0 when there is none)."""
    if not item:
        return 0
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def write_units(
    before: Item | None,
    after: Item | None,
    table_keys: tuple[str, ...],
    indexes: Iterable[Index] = (),
) -> int:
    """The write units one write that turned `before` into `after` costs, indexes included."""
    if before == after:
        return 0
    units = math.ceil(max(item_bytes(before), item_bytes(after)) / UNIT_BYTES)
    for index in indexes:
        old = index.entry(before, table_keys) if before else None
        new = index.entry(after, table_keys) if after else None
        if old == new:
            continue
        moved = old is not None and new is not None and any(old[k] != new[k] for k in index.keys)
        for entry in [old, new] if moved else [new or old]:
            if entry is not None:
                units += math.ceil((item_bytes(entry) + INDEX_ENTRY_OVERHEAD) / UNIT_BYTES)
    return units


@dataclass(frozen=True)
class Table:
    """A table as its writes are billed: its name, its key and its indexes."""

    name: str
    keys: tuple[str, ...]
    indexes: tuple[Index, ...] = ()


Snapshot = dict[str, dict[tuple[str, ...], dict[str, Any]]]


def deployed_tables(table_name: str) -> tuple[Table, ...]:
    """The backend stack's three tables, as resume.* defines them, for a counter table."""
    from resume.history_table import PAGES_BY_DAY_ATTRIBUTES
    from visitor_counter import schema

    # As resume.history_table and resume.counter_table define them (a test compares).
    by_day = Index(
        keys=(schema.SITE_ATTRIBUTE, schema.HISTORY_SORT_KEY), projected=PAGES_BY_DAY_ATTRIBUTES
    )
    live_days = Index(keys=(schema.SITE_ATTRIBUTE, schema.DAY_ATTRIBUTE), projected=())
    return (
        Table(table_name, (schema.PARTITION_KEY,), (live_days,)),
        Table(schema.daily_table_name(table_name), (schema.PARTITION_KEY,)),
        Table(
            schema.history_table_name(table_name),
            (schema.PARTITION_KEY, schema.HISTORY_SORT_KEY),
            (by_day,),
        ),
    )


def snapshot(dynamodb: Any, tables: Iterable[Table]) -> Snapshot:
    """Every item of the tables, by table name and key (a Scan of each)."""
    found: Snapshot = {}
    for table in tables:
        items: dict[tuple[str, ...], dict[str, Any]] = {}
        for page in dynamodb.get_paginator("scan").paginate(TableName=table.name):
            for item in page["Items"]:
                # By the keys' values ({"S": "blog#site"} as "blog#site").
                items[tuple(str(next(iter(item[k].values()))) for k in table.keys)] = item
        found[table.name] = items
    return found


def units_between(
    before: Snapshot, after: Snapshot, tables: Iterable[Table], skip: Iterable[str] = ()
) -> int:
    """The write units that turned `before` into `after`: one write per changed item.

    `skip`: partition keys whose items are left out (writes the caller counts apart).
    """
    skipped = set(skip)
    total = 0
    for table in tables:
        old, new = before[table.name], after[table.name]
        for key in old.keys() | new.keys():
            if key[0] not in skipped:
                total += write_units(old.get(key), new.get(key), table.keys, table.indexes)
    return total


def units_of(
    dynamodb: Any, tables: Iterable[Table], write: Callable[[], object], skip: Iterable[str] = ()
) -> int:
    """The write units `write()` costs, from every item before and after it (but `skip`'s)."""
    tables = tuple(tables)
    before = snapshot(dynamodb, tables)
    write()
    return units_between(before, snapshot(dynamodb, tables), tables, skip)
