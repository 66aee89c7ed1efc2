"""Each other site's DynamoDB client: a session of the sites role, tagged with the site's id.

The function's own role reaches the first site's items only. Every other site's router
signs its calls with a session of the sites role whose tag `site` is that site's id, and
the sites role's grants name only `${aws:PrincipalTag/site}` keys (resume.function_grants):
IAM itself, not only this code, keeps one site's router off another site's items.

A session is made on the site's first call (a container that serves only the first site
never calls STS) and renewed by botocore before it expires: 15 minutes before, the next
call asks STS again. A session chained from the function's role lasts an hour at most
(IAM's role chaining), so each other site costs its container an STS call an hour; STS
charges nothing for AssumeRole.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    CredentialProvider,
    CredentialResolver,
    Credentials,
    DeferredRefreshableCredentials,
)
from botocore.session import Session, get_session

from visitor_counter import schema
from visitor_counter.settings import Settings
from visitor_counter.store import client_config, new_dynamodb_client


def assume_arguments(site_id: str) -> dict[str, Any]:
    """The AssumeRole request for one site's session (besides the role's ARN)."""
    return {
        # CloudTrail names the session: which site's calls these were.
        "RoleSessionName": f"site-{site_id}",
        "DurationSeconds": schema.SITE_SESSION_S,
        "Tags": [{"Key": schema.SITE_SESSION_TAG, "Value": site_id}],
    }


def site_session(settings: Settings, site_id: str, source: Session) -> Session:
    """A botocore session whose credentials are the sites role's, tagged `site_id`.

    `source`: the session whose credentials (the function's role's) ask STS, and whose
    loaded service models the new session shares. Nothing is asked until a call signs.
    """
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=partial(
            source.create_client, region_name=settings.region, config=client_config(settings)
        ),
        source_credentials=source.get_credentials(),
        role_arn=settings.sites_role_arn,
        extra_args=assume_arguments(site_id),
    )
    credentials = DeferredRefreshableCredentials(
        refresh_using=fetcher.fetch_credentials, method="assume-role"
    )
    session = get_session()
    session.register_component("data_loader", source.get_component("data_loader"))
    session.register_component("credential_provider", CredentialResolver([_Given(credentials)]))
    return session


def site_clients(settings: Settings, source: Session | None = None) -> Callable[[str], Any]:
    """What makes each other site's DynamoDB client, as new_dynamodb_client makes the first's.

    `source`: the function's own session (a new one by default).
    """
    source = source or get_session()
    # Regional STS: the function's own Region answers, whatever the runtime's botocore's
    # default (older ones asked the global endpoint).
    source.set_config_variable("sts_regional_endpoints", "regional")
    return lambda site_id: new_dynamodb_client(settings, site_session(settings, site_id, source))


class _Given(CredentialProvider):  # type: ignore[misc]
    """The one credential source of a site's session."""

    METHOD = "assume-role"

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> Credentials:
        return self._credentials
