"""For every test: the function's bot rules, generated as every zip build generates them."""

from __future__ import annotations

from pathlib import Path

from resume_tools.build.bot_rules import write_rules

# At import, before any test runs: every router the tests build reads crawler_patterns.json,
# as the Lambda's cold start does. Rewritten only when the list or the generator changed.
# Without the list this raises, and the whole run stops with the reason: no test runs against
# a function that lacks its rules.
write_rules(Path(__file__).resolve().parents[1] / "function" / "visitor_counter")
