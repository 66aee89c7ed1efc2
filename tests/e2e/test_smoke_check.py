"""The check after every deploy: passes on what was deployed, counts nothing, names failures."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from resume_tools.deploy.smoke import smoke_check
from resume_tools.errors import OpsError
from resume_tools.local_cloud.loopback import LoopbackServer, QuietHandler
from tests.support.cloud import RunningCloud, free_ports

pytestmark = pytest.mark.e2e


@pytest.fixture
def foreign_site() -> Iterator[str]:
    """A page served from an origin the deployed API does not allow."""

    class Page(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's dispatch name
            self.reply(200, {"Content-Type": "text/html"}, b"<!doctype html>")

    server = LoopbackServer(Page, 0).start()
    yield server.url
    server.stop()


def test_the_local_cloud_passed_it_at_start_up(cloud: RunningCloud) -> None:
    assert (
        "smoke check passed: site, preflight through the site's /api/, read route, read route "
        "through the site's /api/, counting route (as a bot, uncounted), stats page, stats route\n"
    ) in cloud.output


def test_the_stats_route_passes_with_the_owners_token_or_none(cloud: RunningCloud) -> None:
    with_token = smoke_check(
        cloud.site_url, cloud.api_url, deployed=False, stats_token=cloud.stats_token
    )
    without = smoke_check(cloud.site_url, cloud.api_url, deployed=False)

    assert "stats route" in with_token
    assert with_token == without


def test_a_wrong_stats_token_fails_the_stats_route(cloud: RunningCloud) -> None:
    with pytest.raises(OpsError) as failed:
        smoke_check(cloud.site_url, cloud.api_url, deployed=False, stats_token="not-the-token")

    assert str(failed.value) == (
        f"smoke check failed: stats route: GET {cloud.api_url}/stats/daily answered 401"
    )


def test_it_passes_and_counts_nothing(
    cloud: RunningCloud, stored_visitors: Callable[[], int]
) -> None:
    before = stored_visitors()

    checks = smoke_check(cloud.site_url, cloud.api_url, deployed=False)

    assert len(checks) == 7
    assert stored_visitors() == before


def test_a_deployed_site_must_be_https_with_security_headers(cloud: RunningCloud) -> None:
    with pytest.raises(OpsError) as failed:
        smoke_check(cloud.site_url, cloud.api_url, deployed=True)

    assert str(failed.value) == f"smoke check failed: site: {cloud.site_url} is not HTTPS"


def test_a_site_whose_api_path_is_not_the_counter_fails_its_checks(
    cloud: RunningCloud, foreign_site: str
) -> None:
    """A site whose /api/ does not reach the counter (or reaches it without the secret, so
    the site's origin is not allowed there) fails the checks through it."""
    with pytest.raises(OpsError) as failed:
        smoke_check(foreign_site, cloud.api_url, deployed=False)

    message = str(failed.value)
    assert message.startswith(
        f"smoke check failed: preflight through the site's /api/: OPTIONS {foreign_site}/api/ "
        "answered 501"
    )
    assert "; read route through the site's /api/: " in message


def test_an_api_that_does_not_answer_names_every_failed_check(cloud: RunningCloud) -> None:
    (port,) = free_ports(1)

    with pytest.raises(OpsError) as failed:
        smoke_check(cloud.site_url, f"http://127.0.0.1:{port}", deployed=False)

    message = str(failed.value)
    assert message.startswith("smoke check failed: read route: ")
    assert "; counting route (as a bot, uncounted): " in message
    assert "; stats route: " in message
    assert "site:" not in message
    assert "through the site's /api/" not in message  # the site's /api/ still answers
