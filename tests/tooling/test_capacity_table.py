"""The capacity model: the README's table is the one it computes, and its arithmetic."""

from __future__ import annotations

import dataclasses

import pytest

from resume.capacity import (
    KEY_WRITE_UNITS_S,
    PAGE_ITEM_UNITS_MAX,
    Traffic,
    first_limit,
    loads,
    problems,
    shards_needed,
)
from resume.config import AppConfig, ConfigError
from resume_tools.bench.capacity_table import INTERNET_SCALE, capacity_table, large_site
from tests.support.synth import PROJECT_ROOT
from visitor_counter import schema


def test_the_readme_shows_the_computed_table() -> None:
    assert capacity_table() in (PROJECT_ROOT / "README.md").read_text()


def test_a_hot_pages_writes_spread_over_its_shards() -> None:
    capacity = dataclasses.replace(AppConfig().capacity, write_shards=4)
    traffic = Traffic(views_per_s=800, hottest_page_share=0.5, page_item_units=2)

    (page,) = [
        load for load in loads(traffic, capacity) if load.name == "a page's item (one shard)"
    ]

    assert page.per_s == 200  # 400 views a second on the page, 2 units each, over 4 shards


def test_the_default_carries_the_worst_its_throttle_lets_through() -> None:
    assert problems(AppConfig().capacity) == []
    assert shards_needed(AppConfig().capacity) == 1


def test_the_large_site_keeps_every_key_under_its_limit_at_internet_scale() -> None:
    """At 10,000 views a second (1,000 on one page) the API's throttle binds first."""
    capacity = large_site().capacity
    admitted = dataclasses.replace(
        INTERNET_SCALE, views_per_s=capacity.route_rps("ANY /pages/{page+}")
    )

    keys = [load for load in loads(admitted, capacity) if load.unit == "write units/s"]

    assert max(load.per_s for load in keys) < KEY_WRITE_UNITS_S
    assert first_limit(INTERNET_SCALE, capacity).name == "the pages route's throttle"
    assert shards_needed(capacity) <= large_site().write_shards


def test_a_throttle_beyond_one_key_is_refused_naming_the_shards_it_needs() -> None:
    with pytest.raises(ConfigError) as refused:
        dataclasses.replace(AppConfig(), throttle_rate_limit_rps=1_000.0)

    assert str(refused.value) == (
        "throttle_rate_limit_rps: 1000 lets 450 views a second reach one page, up to "
        f"{450 * PAGE_ITEM_UNITS_MAX:,} write units a second on its item, and DynamoDB takes "
        "1,000 a second on one key: set write_shards to 4 or more (it is 1), or lower the "
        "throttle"
    )


def test_a_throttle_beyond_the_functions_concurrency_is_refused() -> None:
    with pytest.raises(ConfigError, match="raise lambda_reserved_concurrency"):
        dataclasses.replace(AppConfig(), throttle_rate_limit_rps=1_000.0, write_shards=4)

    assert (
        dataclasses.replace(
            AppConfig(),
            throttle_rate_limit_rps=1_000.0,
            write_shards=4,
            lambda_reserved_concurrency=20,
        ).write_shards
        == 4
    )


def test_a_throttle_beyond_one_pages_reads_is_refused_whatever_the_shards() -> None:
    with pytest.raises(ConfigError, match="write shards do not split a page's reads"):
        dataclasses.replace(
            large_site(), throttle_rate_limit_rps=10_000.0, write_shards=schema.MAX_WRITE_SHARDS
        )


def test_a_function_switched_off_is_no_concurrency_problem() -> None:
    """lambda_reserved_concurrency = 0 is Lambda's off switch, a setting the config takes."""
    assert dataclasses.replace(AppConfig(), lambda_reserved_concurrency=0).capacity.concurrency == 0
