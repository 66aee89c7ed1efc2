"""The frontend stack: private bucket, CloudFront with OAC, security headers, custom domain."""

from __future__ import annotations

from tests.support.synth import Synthesized, only, policy_statements, resources


def test_origin_access_control_always_signs_with_sigv4(production: Synthesized) -> None:
    oac = only(production["frontend"], "aws_cloudfront_origin_access_control")

    assert oac["origin_access_control_origin_type"] == "s3"
    assert (oac["signing_behavior"], oac["signing_protocol"]) == ("always", "sigv4")


def test_distribution_uses_the_oac_for_the_bucket(production: Synthesized) -> None:
    origin = only(production["frontend"], "aws_cloudfront_distribution")["origin"][0]

    assert origin["origin_access_control_id"].startswith("${aws_cloudfront_origin_access_control.")
    assert origin["domain_name"].endswith(".bucket_regional_domain_name}")


def test_viewers_are_redirected_to_https(production: Synthesized) -> None:
    behavior = only(production["frontend"], "aws_cloudfront_distribution")["default_cache_behavior"]

    assert behavior["viewer_protocol_policy"] == "redirect-to-https"


def test_http3_ipv6_and_default_root_object(production: Synthesized) -> None:
    distribution = only(production["frontend"], "aws_cloudfront_distribution")

    assert distribution["http_version"] == "http2and3"
    assert distribution["is_ipv6_enabled"] is True
    assert distribution["default_root_object"] == "index.html"


def test_missing_pages_answer_the_404_page(production: Synthesized) -> None:
    errors = only(production["frontend"], "aws_cloudfront_distribution")["custom_error_response"]

    assert {
        (e["error_code"], e["response_code"], e["response_page_path"])
        for e in errors
        if "response_page_path" in e
    } == {(403, 404, "/404.html"), (404, 404, "/404.html")}


def test_without_a_domain_the_default_certificate_is_used(production: Synthesized) -> None:
    distribution = only(production["frontend"], "aws_cloudfront_distribution")

    assert distribution["viewer_certificate"] == {"cloudfront_default_certificate": True}
    assert "aws_acm_certificate" not in production["frontend"]["resource"]


def test_security_headers_policy_is_attached(production: Synthesized) -> None:
    policy = only(production["frontend"], "aws_cloudfront_response_headers_policy")
    behavior = only(production["frontend"], "aws_cloudfront_distribution")["default_cache_behavior"]

    headers = policy["security_headers_config"]
    assert headers["strict_transport_security"]["access_control_max_age_sec"] == 63_072_000
    # Not the owner's every subdomain, nor a preload anyone may submit: hsts_preload's.
    assert headers["strict_transport_security"]["include_subdomains"] is False
    assert headers["strict_transport_security"]["preload"] is False
    assert headers["frame_options"]["frame_option"] == "DENY"
    assert headers["referrer_policy"]["referrer_policy"] == "strict-origin-when-cross-origin"
    assert headers["content_type_options"]["override"] is True
    assert "default-src 'self'" in headers["content_security_policy"]["content_security_policy"]
    assert behavior["response_headers_policy_id"].startswith(
        "${aws_cloudfront_response_headers_policy."
    )


def test_only_this_distribution_may_read_the_bucket(production: Synthesized) -> None:
    allows = [s for s in policy_statements(production["frontend"]) if s.get("effect") != "Deny"]

    (grant,) = allows
    assert grant["principals"] == [{"type": "Service", "identifiers": ["cloudfront.amazonaws.com"]}]
    assert grant["actions"] == ["s3:GetObject"]
    assert grant["condition"][0]["variable"] == "AWS:SourceArn"
    assert grant["condition"][0]["values"][0].startswith("${aws_cloudfront_distribution.")


def test_site_bucket_is_private_encrypted_and_versioned(production: Synthesized) -> None:
    frontend = production["frontend"]

    assert only(frontend, "aws_s3_bucket_public_access_block")["restrict_public_buckets"] is True
    assert only(frontend, "aws_s3_bucket_versioning")["versioning_configuration"] == {
        "status": "Enabled"
    }
    assert resources(frontend, "aws_s3_bucket_server_side_encryption_configuration")


def test_custom_domain_gets_a_us_east_1_certificate(with_domain: Synthesized) -> None:
    certificate = only(with_domain["frontend"], "aws_acm_certificate")
    providers = with_domain["frontend"]["provider"]["aws"]

    assert certificate["domain_name"] == "example.com"
    assert certificate["validation_method"] == "DNS"
    assert certificate["provider"] == "aws.certificates"
    assert {"alias": "certificates", "region": "us-east-1"}.items() <= providers[1].items()


def test_custom_domain_requires_tls_1_2_2021(with_domain: Synthesized) -> None:
    viewer = only(with_domain["frontend"], "aws_cloudfront_distribution")["viewer_certificate"]

    assert viewer["minimum_protocol_version"] == "TLSv1.2_2021"
    assert viewer["ssl_support_method"] == "sni-only"


def test_custom_domain_gets_a_and_aaaa_alias_records(with_domain: Synthesized) -> None:
    records = resources(with_domain["frontend"], "aws_route53_record")

    aliases = {(r["name"], r["type"]) for r in records if "alias" in r}
    assert aliases == {
        ("example.com", "A"),
        ("example.com", "AAAA"),
        ("www.example.com", "A"),
        ("www.example.com", "AAAA"),
    }


def test_custom_domain_origins_are_allowed_by_the_api(with_domain: Synthesized) -> None:
    function = only(with_domain["backend"], "aws_lambda_function")

    origins = function["environment"]["variables"]["ALLOWED_ORIGINS"].split(",")

    assert {"https://example.com", "https://www.example.com"} <= set(origins)


def test_outputs_site_url_bucket_and_distribution(production: Synthesized) -> None:
    assert set(production["frontend"]["output"]) >= {"site_url", "bucket_name", "distribution_id"}


def test_hsts_preload_is_the_owners_choice(with_domain: Synthesized) -> None:
    policy = only(with_domain["frontend"], "aws_cloudfront_response_headers_policy")

    hsts = policy["security_headers_config"]["strict_transport_security"]
    assert (hsts["include_subdomains"], hsts["preload"]) == (True, True)
    assert "checkov" not in policy["//"]  # the finding does not arise
