"""The owner's switch: the stats page sets the key that the counter reads, the same one."""

from __future__ import annotations

import re

from tests.support.synth import PROJECT_ROOT

COUNTER = PROJECT_ROOT / "constructs" / "site" / "counter.js"
STATS = PROJECT_ROOT / "constructs" / "stats_page" / "stats.js"


def owner_key(script: str) -> str:
    (key,) = re.findall(r'\bOWNER_KEY = "([^"]+)";', script)
    return str(key)


def test_the_stats_page_sets_the_key_the_counter_reads() -> None:
    counter, stats = COUNTER.read_text(), STATS.read_text()

    assert owner_key(counter) == owner_key(stats) == "visitor-counter-owner"
    assert "localStorage.setItem(OWNER_KEY" in stats
    assert "localStorage.getItem(OWNER_KEY)" in counter


def test_no_address_can_switch_it() -> None:
    """A link could otherwise stop a site counting the visitors it sends."""
    code = [line for line in COUNTER.read_text().splitlines() if not line.startswith("//")]

    assert not [line for line in code if "setItem" in line or "location.hash" in line]
