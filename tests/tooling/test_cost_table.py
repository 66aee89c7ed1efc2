"""The cost page's table is the one resume_tools.bench.cost computes."""

from __future__ import annotations

from resume_tools.bench.cost import (
    ALWAYS_FREE,
    PRICES_CHECKED,
    abuse_usage,
    cost_table,
    counter_per_million_views_usd,
    dollars,
    fixed_usage,
    per_million_views_usd,
)
from tests.support.synth import PROJECT_ROOT


def test_the_cost_page_shows_the_computed_table_and_the_prices_date() -> None:
    page = (PROJECT_ROOT / "docs" / "observability.md").read_text()

    assert cost_table() in page
    assert PRICES_CHECKED in page
    assert f"${per_million_views_usd():.2f}" in page
    assert f"(the counter ${counter_per_million_views_usd():.2f}," in page


def test_the_readme_quotes_the_models_price_of_a_million_views() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()

    assert f"${counter_per_million_views_usd():.2f} per million views for the counter" in readme
    worst = dollars(abuse_usage() + fixed_usage())
    assert f"the worst an abuser can force at the default limits is ${worst:,.0f} a month" in readme


def test_the_fixed_cost_is_within_the_always_free_tiers_by_default() -> None:
    assert dollars(fixed_usage(), free=ALWAYS_FREE) < 0.01  # the salts' writes: $0.0002
    assert round(dollars(fixed_usage(topic_key=True), free=ALWAYS_FREE), 2) == 1.00


def test_each_other_site_adds_its_six_metrics() -> None:
    """ "$1.80 a month at list price past CloudWatch's 10 free" (docs/configuration.md)."""
    one, two = dollars(fixed_usage()), dollars(fixed_usage(sites=2))
    page = (PROJECT_ROOT / "docs" / "configuration.md").read_text()

    assert round(two - one, 2) == 1.80
    assert "$1.80 a month at list price past CloudWatch's 10 free" in page
    assert round(dollars(fixed_usage(sites=2), free=ALWAYS_FREE), 2) == 0.60
