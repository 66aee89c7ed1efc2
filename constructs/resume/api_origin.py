"""The counter's API as an origin of the site's distribution: its host and its secret.

The site's pages call the counter at their own `/api/*` (same origin, no preflight), which
the distribution sends to the HTTP API with a header only it knows the value of
(visitor_counter.viewer.ORIGIN_VERIFY_HEADER): the function believes CloudFront's viewer
country and the viewer host only from requests that carry it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import DataResource, Fn, TerraformResourceLifecycle, Token

from constructs import Construct


@dataclass(frozen=True)
class ApiOrigin:
    """What the distribution needs of the backend: the API's host, the header's value."""

    domain: str
    secret: str


class OriginSecret(Construct):
    """A random value made once, at the first apply, and kept in the backend's state.

    Terraform's uuid() (122 random bits) changes at every plan; the value is ignored after
    it is first stored, so it stays. `terraform apply -replace` on it makes a new one (the
    function and the distribution both take it at that apply).
    """

    def __init__(self, scope: Construct, id_: str) -> None:
        super().__init__(scope, id_)
        self.data = DataResource(
            self,
            "value",
            input={"value": Fn.uuid()},
            lifecycle=TerraformResourceLifecycle(ignore_changes=["input"]),
        )
        # Sensitive: a plan (a pull request's is public) shows "(sensitive value)" for it.
        self.value = Token.as_string(Fn.sensitive(Fn.lookup(self.data.output, "value", "")))


def api_host(api_endpoint: str) -> str:
    """The host of an API endpoint URL (https://<id>.execute-api.<region>.amazonaws.com)."""
    return Token.as_string(Fn.replace(api_endpoint, "https://", ""))
