"""The capacity model: the README's table is the one it computes, and its arithmetic."""

from __future__ import annotations

import dataclasses

import pytest

from resume.capacity import (
    Traffic,
    first_limit,
    key_loads,
    loads,
    problems,
    shards_needed,
    throttled_worst,
)
from resume.config import AppConfig, ConfigError
from resume_tools.bench.capacity_table import INTERNET_SCALE, capacity_table, large_site
from tests.support.synth import PROJECT_ROOT


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
    """10,000 views a second (1,000 on one page) as if all let through: every key carries
    them; the API's throttle, at the account's default quota, is what binds."""
    capacity = large_site().capacity

    keys = key_loads(INTERNET_SCALE, capacity)

    assert len(keys) == 13
    assert max(load.share for load in keys) < 1
    assert first_limit(INTERNET_SCALE, capacity).name == "the pages route's throttle"
    assert shards_needed(capacity) == large_site().write_shards
    assert problems(capacity) == []


def test_the_site_days_moves_after_midnight_spread_over_its_parts() -> None:
    """200 pages' 50 shards move into the site's day within a second: 10,000 moves, 10 write
    units each (5 in a transaction), over 150 parts (schema.SITE_DAY_SPLIT per shard)."""
    (moves,) = [
        load
        for load in key_loads(INTERNET_SCALE, large_site().capacity)
        if load.name == "the site's day after midnight (one part)"
    ]

    assert moves.per_s == pytest.approx(10_000 * 10 / 150)


def test_a_split_pages_reads_grow_with_its_containers_not_its_requests() -> None:
    """Each container reads a split page's shards once a second for its GETs, once for its
    views' answers and once a minute for the top list: 900 containers at most, half a unit
    each under 4 KB."""
    capacity = large_site().capacity
    many = dataclasses.replace(INTERNET_SCALE, reads_per_s=1_000_000, hottest_page_share=1.0)

    (reads,) = [
        load for load in key_loads(many, capacity) if load.name.startswith("a page's item, read")
    ]

    assert reads.per_s == (900 + 900 + 900 / 60) * 0.5


def test_a_throttle_beyond_one_key_is_refused_naming_the_shards_it_needs() -> None:
    with pytest.raises(ConfigError) as refused:
        dataclasses.replace(AppConfig(), throttle_rate_limit_rps=1_000.0)

    assert str(refused.value) == (
        "throttle_rate_limit_rps: 1000 lets 450 views a second through to one page, 4,950 "
        "write units a second on a page's item (one shard), and DynamoDB takes 1,000 a second "
        "on one key: set write_shards to 5 or more (it is 1), or lower the throttle"
    )


def test_the_shards_needed_keep_every_key_under_its_limit_and_one_fewer_does_not() -> None:
    capacity = dataclasses.replace(
        large_site().capacity,
        rate_limit_rps=6_000.0,
        write_shards=shards_needed(large_site().capacity),
    )
    needed = shards_needed(capacity)
    fewer = dataclasses.replace(capacity, write_shards=needed - 1)

    assert needed == 30
    assert max(load.share for load in key_loads(throttled_worst(fewer), fewer)) > 1
    assert problems(dataclasses.replace(capacity, write_shards=needed)) == []


def test_a_throttle_beyond_the_functions_concurrency_is_refused() -> None:
    with pytest.raises(ConfigError, match="raise lambda_reserved_concurrency"):
        dataclasses.replace(AppConfig(), throttle_rate_limit_rps=1_000.0, write_shards=5)

    assert (
        dataclasses.replace(
            AppConfig(),
            throttle_rate_limit_rps=1_000.0,
            write_shards=5,
            lambda_reserved_concurrency=20,
        ).write_shards
        == 5
    )


def test_a_function_switched_off_is_no_concurrency_problem() -> None:
    """lambda_reserved_concurrency = 0 is Lambda's off switch, a setting the config takes."""
    assert dataclasses.replace(AppConfig(), lambda_reserved_concurrency=0).capacity.concurrency == 0


def test_the_readme_and_the_config_page_name_the_largest_unsplit_throttle() -> None:
    """The throttle above which one write shard no longer carries the worst (a page item at
    its bound, every view of the pages route on one page), as the config refuses it."""
    carried = [
        rate
        for rate in range(50, 400)
        if not problems(dataclasses.replace(AppConfig().capacity, rate_limit_rps=float(rate)))
    ]
    largest = max(carried)
    readme = (PROJECT_ROOT / "README.md").read_text()
    config_page = (PROJECT_ROOT / "docs" / "configuration.md").read_text()

    assert carried == list(range(50, largest + 1))
    assert f"`throttle_rate_limit_rps` above {largest}\nneeds `write_shards` 2" in readme
    assert f"# above {largest}: write_shards 2 or more" in config_page
