"""The site's viewer-request function: attached to the default behaviour, published, and
filled in with the stage's hosts; the 404 page the site itself has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from resume.config import AppConfig, ConfigError
from resume.edge_code import redirect_hosts, viewer_request_code
from resume.site_pages import extensionless_style, site_error_page
from tests.support.sites import write_site
from tests.support.synth import Synthesized, only, resources, synth_app


def test_the_default_behaviour_runs_the_function_on_viewer_requests(
    production: Synthesized,
) -> None:
    distribution = only(production["frontend"], "aws_cloudfront_distribution")

    (association,) = distribution["default_cache_behavior"]["function_association"]

    assert association["event_type"] == "viewer-request"
    assert re.fullmatch(r"\$\{aws_cloudfront_function\.\S+\.arn\}", association["function_arn"])


def site_function(stack: dict[str, Any]) -> dict[str, Any]:
    (function,) = [
        f
        for f in resources(stack, "aws_cloudfront_function")
        if f["name"].endswith("-viewer-request")
    ]
    return function


def test_the_function_is_published_cloudfront_js_2(production: Synthesized) -> None:
    function = site_function(production["frontend"])

    assert function["name"] == "cloud-resume-dev-viewer-request"
    assert function["runtime"] == "cloudfront-js-2.0"
    assert function["publish"] is True
    # The demo site has flat pages only (posts/hello.html): "/posts/hello" is that file.
    assert function["code"] == viewer_request_code({}, "html")


def test_with_a_domain_www_redirects_to_the_apex(with_domain: Synthesized) -> None:
    function = site_function(with_domain["frontend"])

    assert '"redirectHosts": {"www.example.com": "example.com"}' in function["code"]


def test_the_apex_may_redirect_to_www_instead() -> None:
    assert redirect_hosts("example.com", "www") == {"example.com": "www.example.com"}
    assert redirect_hosts("example.com", "apex") == {"www.example.com": "example.com"}
    assert redirect_hosts("", "apex") == {}
    with pytest.raises(ConfigError, match="canonical_host: 'both' is not apex or www"):
        AppConfig(canonical_host="both")


def test_the_sites_own_404_page_is_served(production: Synthesized) -> None:
    distribution = only(production["frontend"], "aws_cloudfront_distribution")

    pages = {
        r["error_code"]: r.get("response_page_path") for r in distribution["custom_error_response"]
    }

    assert {code: page for code, page in pages.items() if page} == {
        403: "/404.html",
        404: "/404.html",
    }
    # CloudFront caches errors 10 s by default, even under CachingDisabled, keyed without
    # the query string or Authorization: an /api error must never answer another request.
    assert {r["error_caching_min_ttl"] for r in distribution["custom_error_response"]} == {0}
    assert set(pages) == {400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504}


@pytest.mark.parametrize(
    ("files", "page"),
    [(["404.html"], "/404.html"), (["404/index.html"], "/404/index.html"), ([], "/404.html")],
)
def test_the_404_page_is_found_where_generators_write_it(
    tmp_path: Path, files: list[str], page: str
) -> None:
    write_site(tmp_path, files)

    assert site_error_page(tmp_path) == page


def test_a_build_that_inlines_styles_can_have_its_own_csp(
    function_zip: Path, tmp_path: Path
) -> None:
    csp = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    config = AppConfig(function_zip=str(function_zip), site_csp=csp)

    frontend = synth_app(config, tmp_path)[1]["frontend"]

    policy = only(frontend, "aws_cloudfront_response_headers_policy")
    headers = policy["security_headers_config"]["content_security_policy"]
    assert headers["content_security_policy"] == csp


def test_a_csp_over_cloudfronts_limit_is_refused() -> None:
    with pytest.raises(ConfigError, match="site_csp: one line of at most 1,783 characters"):
        AppConfig(site_csp="default-src 'self'; " * 100)


@pytest.mark.parametrize(
    ("files", "style"),
    [
        (["index.html", "blog/index.html", "about/index.html"], "index"),  # Astro, Hugo
        (["index.html", "about.html", "blog/post.html"], "html"),  # Next's default export
        (["index.html", "about.html", "blog/index.html"], "index"),  # mixed: folders win
        (["index.html", "404.html"], "index"),
    ],
)
def test_the_sites_layout_decides_where_extensionless_uris_go(
    tmp_path: Path, files: list[str], style: str
) -> None:
    write_site(tmp_path, files)

    assert extensionless_style(tmp_path) == style
