"""The cost page's table is the one resume_tools.bench.cost computes."""

from __future__ import annotations

from resume_tools.bench.cost import PRICES_CHECKED, cost_table
from tests.support.synth import PROJECT_ROOT


def test_the_cost_page_shows_the_computed_table_and_the_prices_date() -> None:
    page = (PROJECT_ROOT / "docs" / "observability.md").read_text()

    assert cost_table() in page
    assert PRICES_CHECKED in page
