"""The counter behind the site's own /api/: a behaviour of the distribution, not a copy."""

from __future__ import annotations

from resume.edge_code import api_request_code
from tests.support.synth import Synthesized, only, resources


def test_api_requests_go_uncached_to_the_api_with_every_viewer_header_but_host(
    production: Synthesized,
) -> None:
    distribution = only(production["frontend"], "aws_cloudfront_distribution")

    (behaviour,) = distribution["ordered_cache_behavior"]

    assert behaviour["path_pattern"] == "/api/*"
    assert behaviour["target_origin_id"] == "counter-api"
    assert behaviour["viewer_protocol_policy"] == "https-only"  # a redirect drops a body
    assert set(behaviour["allowed_methods"]) == {
        "GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"
    }  # fmt: skip
    # AWS-managed CachingDisabled and AllViewerExceptHostHeader.
    assert behaviour["cache_policy_id"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    assert behaviour["origin_request_policy_id"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    (association,) = behaviour["function_association"]
    assert association["event_type"] == "viewer-request"
    assert "api-request" in association["function_arn"]


def test_the_api_origin_is_the_backends_api_with_its_secret(production: Synthesized) -> None:
    distribution = only(production["frontend"], "aws_cloudfront_distribution")

    origins = {origin["origin_id"]: origin for origin in distribution["origin"]}
    api = origins["counter-api"]

    # Both read from the backend's state: the frontend is applied after it.
    assert api["domain_name"].startswith("${replace(data.terraform_remote_state.")
    assert api["domain_name"].endswith('api_endpoint, "https://", "")}')
    assert api["custom_origin_config"]["origin_protocol_policy"] == "https-only"
    assert api["custom_origin_config"]["origin_ssl_protocols"] == ["TLSv1.2"]
    (header,) = api["custom_header"]
    assert header["name"] == "x-origin-verify"
    assert header["value"].startswith("${sensitive(data.terraform_remote_state.")
    assert "origin-secret" in header["value"]


def test_the_api_function_is_published_from_its_one_file(production: Synthesized) -> None:
    (function,) = [
        f
        for f in resources(production["frontend"], "aws_cloudfront_function")
        if f["name"] == "cloud-resume-dev-api-request"
    ]

    assert function["code"] == api_request_code()
    assert function["publish"] is True
    assert function["runtime"] == "cloudfront-js-2.0"


def test_the_site_may_connect_to_its_own_origin_and_its_own_api_only(
    production: Synthesized,
) -> None:
    """The counter is the site's own /api/; a page calling the API's endpoint itself (the
    original frontend) reaches this stage's API by its exact host, no other of the Region."""
    policy = only(production["frontend"], "aws_cloudfront_response_headers_policy")
    distribution = only(production["frontend"], "aws_cloudfront_distribution")
    (api,) = [o for o in distribution["origin"] if o["origin_id"] == "counter-api"]

    csp = policy["security_headers_config"]["content_security_policy"]["content_security_policy"]
    (connect,) = [d for d in csp.split("; ") if d.startswith("connect-src ")]
    assert connect == f"connect-src 'self' https://{api['domain_name']}"
    assert "*" not in csp
