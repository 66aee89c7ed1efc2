"""For every test: the bot rules as every zip build makes them, two lanes, a GC freeze."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

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
END_TO_END = "tests/e2e/"


def lane_of(nodeid: str) -> str:
    """The group a test runs in: the session's local cloud's, or its module's own."""
    module = nodeid.split("::", 1)[0]
    shared = module.startswith(END_TO_END) and module not in OWN_LOCAL_CLOUD
    return SHARED_LOCAL_CLOUD if shared else module


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's, when it runs the tests
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Two lanes under pytest-xdist: each group whole on one worker, so that the session's
    local cloud comes up once and a module's fixtures (a synth, a deploy) are made once.

    xdist's own `--dist loadgroup` cannot do it with pytest 9 (it renames `item._nodeid`,
    which pytest 9 no longer reads), so its by-scope scheduler is given our groups instead.
    """
    from xdist.scheduler import LoadScopeScheduling

    class LaneScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return lane_of(nodeid)

    return LaneScheduling(config, log)


def pytest_itemcollected(item: pytest.Item) -> None:
    """End-to-end tests are marked so: `-m "not e2e"` is the fast lane."""
    if item.nodeid.startswith(END_TO_END):
        item.add_marker(pytest.mark.e2e)


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
