"""For every test: the bot rules as every zip build makes them, two lanes, a GC freeze."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from resume_tools.build.bot_rules import write_rules

# At import, before any test runs: every router the tests build reads crawler_patterns.json,
# as the Lambda's cold start does. Rewritten only when the list or the generator changed.
# Without the list this raises, and the whole run stops with the reason: no test runs against
# a function that lacks its rules.
write_rules(Path(__file__).resolve().parents[1] / "function" / "visitor_counter")


# Modules that bring up a local cloud of their own, in folders of their own; every other
# end-to-end module uses the session's local cloud or the project's .local-cloud/ folder.
OWN_LOCAL_CLOUD = frozenset({"tests/e2e/test_bootstrap.py", "tests/e2e/test_generator_site.py"})
SHARED_LOCAL_CLOUD = "local-cloud"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Two lanes under pytest-xdist (`--dist loadgroup`): the tests of the session's local
    cloud in one group, on one worker, so that it comes up once; every other module a group of
    its own, so that its module fixtures (a synth, a deploy) are made once."""
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        end_to_end = module.startswith("tests/e2e/")
        if end_to_end:
            item.add_marker(pytest.mark.e2e)  # `-m "not e2e"`: the fast lane
        shared = end_to_end and module not in OWN_LOCAL_CLOUD
        item.add_marker(pytest.mark.xdist_group(SHARED_LOCAL_CLOUD if shared else module))


_last_module: list[str] = []


def pytest_runtest_setup(item: pytest.Item) -> None:
    """At each new module, collect once and freeze what survives (the session's synths, the
    jsii runtime): without it every later collection walks them, and the unit tests' moto
    setup took 2 s instead of 0.4 s after the infrastructure tests had run."""
    module = item.nodeid.split("::", 1)[0]
    if _last_module != [module]:
        _last_module[:] = [module]
        gc.collect()
        gc.freeze()
