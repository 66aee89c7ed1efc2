"""Each other site's router signs as that site: a session of the sites role tagged with its id.

moto evaluates no IAM, so these tests prove what the function asks of STS and which
credentials sign each site's DynamoDB calls; tests/function/test_grants_cover_calls.py
proves the grants those credentials carry allow that site's keys and no other's.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import botocore.session
import pytest

from tests.function.test_handler_module import fresh_handler_module
from tests.support.events import SITE_ORIGIN, http_event
from tests.support.tables import TEST_TABLE_NAME, all_items
from visitor_counter import schema
from visitor_counter.router import RETRY_LATER
from visitor_counter.settings import Settings
from visitor_counter.site_sessions import site_clients
from visitor_counter.sites import Sites
from visitor_counter.store import new_dynamodb_client
from visitor_counter.wiring import build_sites

SHOP = "https://shop.example"
SITES_ROLE = "arn:aws:iam::123456789012:role/resume-dev-counter-sites"
# Signature V4: "Credential=<access key>/<date>/<region>/<service>/aws4_request".
_SIGNED_BY = re.compile(r"Credential=([^/]+)/")


class Recorded:
    """What the function asked of STS, what STS gave, and which key signed each site's calls."""

    def __init__(self) -> None:
        self.assume_requests: list[dict[str, Any]] = []
        self.issued_keys: list[str] = []
        self.signed_by: dict[str, set[str]] = {}

    def client(self, site: str, client: Any) -> Any:
        """`client`, its requests' signing keys recorded under `site`."""
        keys = self.signed_by.setdefault(site, set())

        def record(request: Any, **_: Any) -> None:
            authorization = request.headers.get("Authorization", b"")
            text = authorization.decode() if isinstance(authorization, bytes) else authorization
            keys.update(_SIGNED_BY.findall(text))

        client.meta.events.register("before-send.dynamodb", record)
        return client


@pytest.fixture
def recorded() -> Recorded:
    return Recorded()


@pytest.fixture
def source(recorded: Recorded, dynamodb: Any) -> botocore.session.Session:
    """The function's own session (the handler's one), STS's requests and answers recorded."""
    session = botocore.session.get_session()
    session.register(
        "before-parameter-build.sts.AssumeRole",
        lambda params, **_: recorded.assume_requests.append(dict(params)),
    )
    session.register(
        "after-call.sts.AssumeRole",
        lambda parsed, **_: recorded.issued_keys.extend(
            [parsed["Credentials"]["AccessKeyId"]] if "Credentials" in parsed else []
        ),
    )
    return session


@pytest.fixture
def sites(
    settings: Settings, source: botocore.session.Session, recorded: Recorded, dynamodb: Any
) -> Sites:
    """blog and shop, wired as the handler wires them (handler.py), with their keys recorded."""
    return _sites(settings, source, recorded, dynamodb)


def _sites(
    settings: Settings, source: botocore.session.Session, recorded: Recorded, dynamodb: Any
) -> Sites:
    dynamodb.put_item(TableName=TEST_TABLE_NAME, Item=schema.known_pages_item("shop", ["/"], []))
    settings = replace(
        settings, other_sites=(("shop", frozenset({SHOP})),), sites_role_arn=SITES_ROLE
    )
    make = site_clients(settings, source)
    return build_sites(
        settings,
        recorded.client("blog", new_dynamodb_client(settings, source)),
        lambda site: recorded.client(site, make(site)),
    )


def view(sites: Sites, origin: str) -> tuple[int, Any]:
    """The status and the page's views (or the error) a view of / from `origin` answers."""
    response = sites.handle(http_event("POST", "/pages/%2F", origin=origin))
    body = json.loads(response["body"])
    return response["statusCode"], body.get("views", body)


def test_the_first_site_asks_sts_nothing(sites: Sites, recorded: Recorded) -> None:
    """Its items are the function's own role's: a container serving it never calls STS."""
    assert view(sites, SITE_ORIGIN) == (200, 1)

    assert recorded.assume_requests == []
    assert recorded.signed_by["blog"] == {"testing"}  # the function's own credentials
    assert recorded.signed_by["shop"] == set()  # its client made, nothing sent


def test_an_other_sites_calls_sign_with_a_session_tagged_as_that_site(
    sites: Sites, recorded: Recorded
) -> None:
    assert view(sites, SHOP) == (200, 1)
    assert view(sites, SHOP) == (200, 2)

    # One session for the container (botocore renews it before it ends), tagged "shop".
    assert recorded.assume_requests == [
        {
            "RoleArn": SITES_ROLE,
            "RoleSessionName": "site-shop",
            "DurationSeconds": 3600,
            "Tags": [{"Key": "site", "Value": "shop"}],
        }
    ]
    (session_key,) = recorded.issued_keys
    assert session_key != "testing"
    assert recorded.signed_by["shop"] == {session_key}
    assert recorded.signed_by["blog"] == set()


@pytest.fixture
def sts_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """STS's endpoint refuses connections (port 9, discard: nothing listens)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")


@pytest.mark.usefixtures("sts_unreachable")
def test_without_a_session_an_other_site_is_unavailable_and_nothing_is_stored(
    sites: Sites, dynamodb: Any
) -> None:
    """The first site still counts: its credentials are not STS's."""
    before = all_items(dynamodb)

    status, body = view(sites, SHOP)

    assert status == 503
    assert body == {"error": RETRY_LATER}
    assert all_items(dynamodb) == before
    assert view(sites, SITE_ORIGIN) == (200, 1)


@pytest.fixture
def sts_silent(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """STS's endpoint takes the connection and never answers (a stalled service)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", f"http://127.0.0.1:{listener.getsockname()[1]}")
        yield


@pytest.mark.usefixtures("sts_silent")
def test_a_stalled_sts_is_a_503_within_the_stores_timeouts_not_the_lambdas(
    settings: Settings, source: botocore.session.Session, recorded: Recorded, dynamodb: Any
) -> None:
    """botocore's own STS timeouts (60 s, three tries) would outlast the Lambda's."""
    quick = replace(settings, dynamodb_connect_timeout_s=0.2, dynamodb_read_timeout_s=0.3)
    sites = _sites(quick, source, recorded, dynamodb)
    started = time.monotonic()

    status, body = view(sites, SHOP)

    assert (status, body) == (503, {"error": RETRY_LATER})
    assert time.monotonic() - started < 5  # one read timeout (0.3 s), not three of 60 s


@pytest.mark.parametrize(
    ("code", "retry_after"),
    [("Throttling", "1"), ("InternalFailure", "5"), ("AccessDenied", "60"),
     ("RegionDisabledException", "60")],
)  # fmt: skip
def test_stss_refusals_are_503s_that_say_when_to_try_again(
    sites: Sites, source: botocore.session.Session, dynamodb: Any, code: str, retry_after: str
) -> None:
    """STS's own error codes (not DynamoDB's): each a 503 with its Retry-After, no count."""
    source.register(
        "before-call.sts.AssumeRole",
        lambda **_: (
            SimpleNamespace(status_code=400, headers={}),
            {"Error": {"Code": code, "Message": "refused"}, "ResponseMetadata": {}},
        ),
    )
    before = all_items(dynamodb)

    response = sites.handle(http_event("POST", "/pages/%2F", origin=SHOP))

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == retry_after
    assert json.loads(response["body"]) == {"error": RETRY_LATER}
    assert all_items(dynamodb) == before


def test_the_lambdas_cold_start_wires_other_sites_with_their_sessions(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The handler module itself: shop's view is counted with a session moto issued."""
    from moto.sts.models import sts_backends

    dynamodb.put_item(TableName=TEST_TABLE_NAME, Item=schema.known_pages_item("shop", ["/"], []))
    monkeypatch.setenv("TABLE_NAME", TEST_TABLE_NAME)
    monkeypatch.setenv("OTHER_SITES", f"shop={SHOP}")
    monkeypatch.setenv("SITES_ROLE_ARN", SITES_ROLE)
    handler = fresh_handler_module()
    sessions = sts_backends["123456789012"]["aws"].assumed_roles

    assert sessions == []  # nothing asked at the cold start
    response = handler.lambda_handler(http_event("POST", "/pages/%2F", origin=SHOP), None)

    assert json.loads(response["body"])["views"] == 1
    assert [(s.role_arn, s.session_name) for s in sessions] == [(SITES_ROLE, "site-shop")]
    stored = dynamodb.get_item(TableName=TEST_TABLE_NAME, Key={"ID": {"S": "shop#page#/"}})
    assert stored["Item"]["views"] == {"N": "1"}
