"""The README's cost table is the one resume_tools.bench.cost computes."""

from __future__ import annotations

from resume_tools.bench.cost import PRICES_CHECKED, cost_table
from tests.support.synth import PROJECT_ROOT


def test_the_readme_shows_the_computed_table_and_the_prices_date() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()

    assert cost_table() in readme
    assert PRICES_CHECKED in readme
