"""DynamoDB's size rules, as the write-unit measurement applies them."""

from __future__ import annotations

import pytest

from resume_tools.bench.write_units import (
    Index,
    Snapshot,
    Table,
    item_bytes,
    number_bytes,
    units_between,
    write_units,
)

KEYS = ("ID", "day")
BY_DAY = Index(keys=("site", "day"), projected=("page", "views"))


@pytest.mark.parametrize(
    ("number", "size"),
    [("0", 2), ("7", 2), ("12", 2), ("123", 3), ("100", 2), ("1.50", 2), ("-12345", 4)],
)
def test_a_number_takes_a_byte_per_two_significant_digits_and_one(number: str, size: int) -> None:
    assert number_bytes(number) == size


def test_an_item_is_its_names_and_values() -> None:
    item = {
        "ID": {"S": "blog#page#/"},  # 2 + 11
        "views": {"N": "1234"},  # 5 + 3
        "refs": {"SS": ["a.example", "b.example"]},  # 4 + 18
        "hours": {"M": {"h01": {"N": "5"}}},  # 5 + 3 + 1 + 3 + 2
        "flag": {"BOOL": True},  # 4 + 1
    }

    assert item_bytes(item) == 13 + 8 + 22 + 14 + 5


def test_a_write_is_billed_by_the_larger_of_before_and_after_in_kilobytes() -> None:
    small = {"ID": {"S": "a"}, "day": {"S": "2026-12-02"}}
    big = {**small, "blob": {"S": "x" * 1500}}

    assert write_units(None, small, KEYS) == 1
    assert write_units(big, small, KEYS) == 2
    assert write_units(small, small, KEYS) == 0


def test_an_index_takes_a_write_when_its_projection_changes_and_two_when_its_key_moves() -> None:
    day = {"ID": {"S": "blog#/"}, "day": {"S": "2026-12-02"}, "site": {"S": "blog"}}
    viewed = {**day, "page": {"S": "/"}, "views": {"N": "1"}}
    again = {**viewed, "views": {"N": "2"}}
    other_source = {**again, "refs": {"SS": ["a.example"]}}
    moved = {**again, "site": {"S": "blog#overflow"}}

    assert write_units(None, viewed, KEYS, [BY_DAY]) == 2
    assert write_units(viewed, again, KEYS, [BY_DAY]) == 2
    assert write_units(again, other_source, KEYS, [BY_DAY]) == 1  # not projected
    assert write_units(again, moved, KEYS, [BY_DAY]) == 3


def test_a_skipped_partitions_writes_are_left_out() -> None:
    table = Table("t", ("ID",))
    before: Snapshot = {"t": {}}
    after: Snapshot = {
        "t": {
            ("blog#site",): {"ID": {"S": "blog#site"}, "n": {"N": "1"}},
            ("blog#page#/",): {"ID": {"S": "blog#page#/"}, "n": {"N": "1"}},
        }
    }

    assert units_between(before, after, [table]) == 2
    assert units_between(before, after, [table], skip=["blog#site"]) == 1
