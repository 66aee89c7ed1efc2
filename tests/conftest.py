"""For every test: the bot rules as every zip build makes them, two lanes, a GC freeze."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from resume_tools.artifacts.bot_rules import write_rules

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
# The lanes whose local clouds start first: the session's (the longest), then the others.
FIRST_LANES = (SHARED_LOCAL_CLOUD, *sorted(OWN_LOCAL_CLOUD))


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

    # Groups in collection order (pytest_collection_modifyitems sets it), not by test count.
    config.option.loadscopereorder = False
    return LaneScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The local clouds first, so that their Terraform starts at once beside other work.

    xdist hands each worker one group, then a second: the session's local cloud (the longest
    lane) to one worker and the bootstrap's to the other, a short module queued behind the
    first, and the generator site's cloud behind the bootstrap's. Then everything else, in
    the order it was collected, to whichever worker is free.
    """
    lanes = list(dict.fromkeys(lane_of(item.nodeid) for item in items))
    rest = [lane for lane in lanes if lane not in FIRST_LANES]
    order = [lane for lane in FIRST_LANES if lane in lanes]
    if len(order) > 2 and rest:
        order.insert(2, rest.pop(0))
    rank = {lane: position for position, lane in enumerate([*order, *rest])}
    items.sort(key=lambda item: rank[lane_of(item.nodeid)])


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
