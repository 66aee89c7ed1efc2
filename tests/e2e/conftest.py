"""One local cloud per session: `python -m resume_tools.cli.dev` (what `nox -s dev` runs), serving.

It runs in its own process, as a user starts it: the handler it imports from the zip never
mixes with the modules the unit tests import from the source tree.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from resume_tools.local_cloud.cloud import emulator_client
from tests.support.browser import CHROMIUM_FLAGS, DESKTOP_CHROME
from tests.support.cloud import E2E_OTHER_SITES, E2E_PAGE_PATTERNS, RunningCloud, running_cloud
from tests.support.tables import stored_count


@pytest.fixture(scope="session")
def cloud() -> Iterator[RunningCloud]:
    """The local cloud, started as a background job starts it, stopped with Ctrl-C (SIGINT).

    Started with SIGINT ignored, as CI and scripts start it: the SIGINT at the end must
    still stop it (the SIGTERM and SIGKILL fallbacks only clean up, and fail the session).
    """
    # With made-up history before today, for the stats page; today's counts are the tests'.
    with running_cloud(
        {"RESUME_PAGE_PATTERNS": E2E_PAGE_PATTERNS, "RESUME_SITES": E2E_OTHER_SITES},
        "--seed-demo-history",
    ) as started:
        yield started


@pytest.fixture
def stored_visitors(cloud: RunningCloud) -> Callable[[], int]:
    """Read the stored count straight from the emulator, bypassing the API."""
    client = emulator_client("dynamodb", cloud.emulator_endpoint)
    return lambda: stored_count(client, cloud.table_name)


@pytest.fixture(scope="session")
def deployed_origins(cloud: RunningCloud) -> list[str]:
    """The origins the deployed function allows, read back from its configuration.

    The function is CORS's one owner (the API has no cors_configuration), so this is what
    a browser is answered with, locally and in AWS.
    """
    functions = emulator_client("lambda", cloud.emulator_endpoint).list_functions()["Functions"]
    (function,) = functions
    origins: str = function["Environment"]["Variables"]["ALLOWED_ORIGINS"]
    return origins.split(",")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system (.ci/run installs Debian's package)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "chromium not found: install Debian's chromium package (.ci/run does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A tab of a person's browser."""
    context = browser.new_context(user_agent=DESKTOP_CHROME)
    yield context.new_page()
    context.close()
