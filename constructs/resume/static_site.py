"""The static site: a private bucket read only by CloudFront through Origin Access Control."""

from __future__ import annotations

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.cloudfront_distribution import (
    CloudfrontDistribution,
    CloudfrontDistributionCustomErrorResponse,
    CloudfrontDistributionDefaultCacheBehavior,
    CloudfrontDistributionDefaultCacheBehaviorFunctionAssociation,
    CloudfrontDistributionOrderedCacheBehavior,
    CloudfrontDistributionOrderedCacheBehaviorFunctionAssociation,
    CloudfrontDistributionOrigin,
    CloudfrontDistributionOriginCustomHeader,
    CloudfrontDistributionOriginCustomOriginConfig,
    CloudfrontDistributionRestrictions,
    CloudfrontDistributionRestrictionsGeoRestriction,
    CloudfrontDistributionViewerCertificate,
)
from cdktf_cdktf_provider_aws.cloudfront_function import CloudfrontFunction
from cdktf_cdktf_provider_aws.cloudfront_origin_access_control import (
    CloudfrontOriginAccessControl,
)
from cdktf_cdktf_provider_aws.cloudfront_response_headers_policy import (
    CloudfrontResponseHeadersPolicy,
    CloudfrontResponseHeadersPolicySecurityHeadersConfig,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicy,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigContentTypeOptions,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigFrameOptions,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigReferrerPolicy,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurity,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider

from constructs import Construct
from resume.api_origin import ApiOrigin
from resume.checkov import accept_findings
from resume.edge_code import (
    API_ORIGIN_ID,
    API_PATH,
    NOT_FOUND_STATUSES,
    RUNTIME,
    api_request_code,
    redirect_hosts,
    viewer_request_code,
)
from resume.private_bucket import PrivateBucket
from resume.site_certificate import SiteCertificate
from visitor_counter.viewer import ORIGIN_VERIFY_HEADER

# AWS-managed "CachingOptimized" cache policy: gzip/brotli, no cookies or query strings.
CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
# AWS-managed "CachingDisabled": every /api request reaches the API.
CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
# AWS-managed "AllViewerExceptHostHeader": the viewer's headers (Authorization too, as
# caching is disabled), query strings and CloudFront's headers (the viewer's country), but
# not Host, which must be the API's own for API Gateway to answer.
ALL_VIEWER_EXCEPT_HOST_POLICY_ID = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
SITE_ORIGIN_ID = "site-bucket"
NONCURRENT_SITE_VERSIONS_DAYS = 30
HSTS_MAX_AGE_S = 63_072_000  # two years, as hstspreload.org asks of a preloaded domain

HSTS_FINDINGS = {
    "CKV_AWS_259": "HSTS is sent (two years) without includeSubDomains and preload, which "
    "would force HTTPS on every subdomain of the owner's domain and invite its preload "
    "submission by anyone: hsts_preload = true turns both on, as the owner's decision.",
}
DISTRIBUTION_FINDINGS = {
    "CKV_AWS_68": "AWS WAF costs more per month than a personal site's whole bill; "
    "the API stage is throttled instead.",
    "CKV2_AWS_47": "No WAF (see CKV_AWS_68), so no WAF rule for Log4j.",
    "CKV_AWS_86": "CloudFront access logs need a log bucket with ACLs; opt-in, not default.",
    "CKV_AWS_310": "No origin group: failover would need a replica bucket and a second API.",
    "CKV_AWS_374": "A public resume is meant to be reachable from every country.",
}
DEFAULT_CERTIFICATE_FINDINGS = {
    "CKV_AWS_174": "The default *.cloudfront.net certificate fixes its own TLS policy; with "
    "a custom domain the distribution requires TLSv1.2_2021.",
    "CKV2_AWS_42": "No custom domain configured: CloudFront's default certificate is the one.",
}
EMULATED_FINDINGS = {
    "CKV2_AWS_32": "Local cloud only: moto has no response headers policies; the "
    "production synth attaches one (tested).",
}


class StaticSite(Construct):
    """Private S3 origin + CloudFront (OAC, HTTPS only, HTTP/2+3, IPv6, security headers)."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        api: ApiOrigin,
        domain_name: str,
        hosted_zone_id: str,
        certificate_provider: AwsProvider | None,
        emulated: bool,
        bucket_prefix: str,
        error_page: str,
        canonical_host: str,
        content_security_policy: str = "",
        extensionless: str = "index",
        hsts_preload: bool = False,
    ) -> None:
        """Build the site's bucket, distribution and viewer-request function.

        `api` is the counter's API, served at /api/ (same origin for the site's pages);
        `bucket_prefix` starts the bucket's and the functions' names (deploy roles are scoped
        to it); `error_page` is the key of the site's 404 page, with a leading slash;
        `canonical_host` ("apex" or "www") is where the other host of a domain redirects;
        `content_security_policy` replaces the default policy when set; `extensionless` is
        where "/x" goes: "index" (x/index.html) or "html" (x.html); `hsts_preload` adds
        includeSubDomains and preload to HSTS.
        """
        super().__init__(scope, id_)
        # Pretty URLs ("/blog/" is blog/index.html) and the canonical host, at the edge.
        self.viewer_function = CloudfrontFunction(
            self,
            "viewer-request",
            name=f"{bucket_prefix}viewer-request",
            runtime=RUNTIME,
            comment="Pretty URLs to index.html; the other host of the domain redirects",
            code=viewer_request_code(redirect_hosts(domain_name, canonical_host), extensionless),
            # moto has no PublishFunction; the local site server runs the code as stored.
            publish=not emulated,
        )
        self.api_function = CloudfrontFunction(
            self,
            "api-request",
            name=f"{bucket_prefix}api-request",
            runtime=RUNTIME,
            comment="/api/* to the counter's API: the path without /api, the viewer's host",
            code=api_request_code(),
            publish=not emulated,
        )
        self.oac = CloudfrontOriginAccessControl(
            self,
            "oac",
            name=f"{id_}-oac",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
        )
        headers_policy = (
            None
            if emulated
            else _security_headers(
                self,
                f"{id_}-security-headers",
                content_security_policy or default_content_security_policy(api.domain),
                hsts_preload,
            )
        )
        self.aliases = [domain_name, f"www.{domain_name}"] if domain_name else []
        certificate = (
            SiteCertificate(
                self,
                "certificate",
                domain_name=domain_name,
                zone_id=hosted_zone_id,
                provider=certificate_provider,
            )
            if domain_name and certificate_provider
            else None
        )
        self.storage = PrivateBucket(
            self,
            "storage",
            bucket_name=None,
            bucket_prefix=bucket_prefix,
            noncurrent_days=NONCURRENT_SITE_VERSIONS_DAYS,
            emulated=emulated,
        )
        self.bucket = self.storage.bucket
        self.distribution = self._distribution(
            id_, certificate, headers_policy, api, error_page=error_page, emulated=emulated
        )
        findings = dict(DISTRIBUTION_FINDINGS)
        if not certificate:
            findings |= DEFAULT_CERTIFICATE_FINDINGS
        if emulated:
            findings |= EMULATED_FINDINGS
        accept_findings(self.distribution, findings)
        self.storage.attach_policy([_cloudfront_may_read(self.bucket.arn, self.distribution.arn)])
        if certificate:
            certificate.add_alias_records(
                self.distribution.domain_name, self.distribution.hosted_zone_id
            )
        default_origin = f"https://{self.distribution.domain_name}"
        canonical = f"www.{domain_name}" if canonical_host == "www" else domain_name
        self.url = f"https://{canonical}" if domain_name else default_origin
        self.error_page = error_page

    def _distribution(
        self,
        id_: str,
        certificate: SiteCertificate | None,
        headers_policy: CloudfrontResponseHeadersPolicy | None,
        api: ApiOrigin,
        *,
        error_page: str,
        emulated: bool,
    ) -> CloudfrontDistribution:
        """The distribution: the private bucket through OAC, the API at /api/, HTTPS only.

        The viewer-request function runs on every site request; both 403 and 404 answer the
        site's own 404 page (custom error responses are the distribution's, so an API 404
        through /api/ keeps its status but carries that page: counter.js reads the status).
        """
        return CloudfrontDistribution(
            self,
            "distribution",
            enabled=True,
            comment=id_,
            is_ipv6_enabled=True,
            http_version="http2and3",
            default_root_object="index.html",
            price_class="PriceClass_100",
            aliases=certificate.aliases if certificate else None,
            origin=[
                CloudfrontDistributionOrigin(
                    origin_id=SITE_ORIGIN_ID,
                    domain_name=self.bucket.bucket_regional_domain_name,
                    origin_access_control_id=self.oac.id,
                ),
                CloudfrontDistributionOrigin(
                    origin_id=API_ORIGIN_ID,
                    domain_name=api.domain,
                    custom_origin_config=CloudfrontDistributionOriginCustomOriginConfig(
                        http_port=80,
                        https_port=443,
                        origin_protocol_policy="https-only",
                        origin_ssl_protocols=["TLSv1.2"],
                    ),
                    # CloudFront replaces a viewer's header of this name with this value.
                    custom_header=[
                        CloudfrontDistributionOriginCustomHeader(
                            name=ORIGIN_VERIFY_HEADER, value=api.secret
                        )
                    ],
                ),
            ],
            ordered_cache_behavior=[
                CloudfrontDistributionOrderedCacheBehavior(
                    path_pattern=f"{API_PATH}/*",
                    target_origin_id=API_ORIGIN_ID,
                    # A redirect would drop a POST's body.
                    viewer_protocol_policy="https-only",
                    allowed_methods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                    cached_methods=["GET", "HEAD"],
                    cache_policy_id=CACHING_DISABLED_POLICY_ID,
                    origin_request_policy_id=ALL_VIEWER_EXCEPT_HOST_POLICY_ID,
                    response_headers_policy_id=headers_policy.id if headers_policy else None,
                    function_association=[
                        CloudfrontDistributionOrderedCacheBehaviorFunctionAssociation(
                            event_type="viewer-request", function_arn=self.api_function.arn
                        )
                    ],
                )
            ],
            default_cache_behavior=CloudfrontDistributionDefaultCacheBehavior(
                target_origin_id=SITE_ORIGIN_ID,
                viewer_protocol_policy="redirect-to-https",
                allowed_methods=["GET", "HEAD"],
                cached_methods=["GET", "HEAD"],
                compress=True,
                cache_policy_id=CACHING_OPTIMIZED_POLICY_ID,
                response_headers_policy_id=headers_policy.id if headers_policy else None,
                function_association=[
                    CloudfrontDistributionDefaultCacheBehaviorFunctionAssociation(
                        event_type="viewer-request", function_arn=self.viewer_function.arn
                    )
                ],
            ),
            custom_error_response=_error_responses(error_page),
            restrictions=CloudfrontDistributionRestrictions(
                geo_restriction=CloudfrontDistributionRestrictionsGeoRestriction(
                    restriction_type="none"
                )
            ),
            viewer_certificate=(
                certificate.viewer_certificate
                if certificate
                else CloudfrontDistributionViewerCertificate(cloudfront_default_certificate=True)
            ),
            # moto applies instantly, and real deploys invalidate the cache afterwards anyway.
            wait_for_deployment=not emulated,
            # moto answers these blocks differently from what it stored (no OAC id, added
            # forwarded_values, sni-only), so locally every plan would show a change.
            lifecycle=(
                TerraformResourceLifecycle(
                    ignore_changes=[
                        "origin",
                        "default_cache_behavior",
                        "ordered_cache_behavior",
                        "viewer_certificate",
                    ]
                )
                if emulated
                else None
            ),
        )


# The error statuses CloudFront caches (10 s by default, even under CachingDisabled, and
# keyed without the query string or Authorization there): not one, so an /api error (a bad
# query's 400, a 503) is never served to another request.
CACHED_ERROR_STATUSES = (400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)


def _error_responses(error_page: str) -> list[CloudfrontDistributionCustomErrorResponse]:
    """The site's 404 page for 403 and 404, and no error cached.

    Without s3:ListBucket, S3 answers 403 for a missing key: both mean "not found".
    """
    return [
        CloudfrontDistributionCustomErrorResponse(
            error_code=code,
            error_caching_min_ttl=0,
            **(
                {"response_code": 404, "response_page_path": error_page}
                if code in NOT_FOUND_STATUSES
                else {}
            ),
        )
        for code in CACHED_ERROR_STATUSES
    ]


def _cloudfront_may_read(
    bucket_arn: str, distribution_arn: str
) -> DataAwsIamPolicyDocumentStatement:
    return DataAwsIamPolicyDocumentStatement(
        sid="CloudFrontReadsThroughOac",
        principals=[
            DataAwsIamPolicyDocumentStatementPrincipals(
                type="Service", identifiers=["cloudfront.amazonaws.com"]
            )
        ],
        actions=["s3:GetObject"],
        resources=[f"{bucket_arn}/*"],
        condition=[
            DataAwsIamPolicyDocumentStatementCondition(
                test="StringEquals", variable="AWS:SourceArn", values=[distribution_arn]
            )
        ],
    )


def default_content_security_policy(api_host: str) -> str:
    """The site's default policy: nothing inline runs, it connects to its own origin only.

    The counter is its /api/; a page that calls the API's endpoint itself (the original
    frontend's script, a `data-api`) reaches this stage's API by its exact host: no other
    API of the Region, which the policy's old `*.execute-api` wildcard allowed.
    """
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"connect-src 'self' https://{api_host}; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


def _security_headers(
    scope: Construct, name: str, csp: str, hsts_preload: bool
) -> CloudfrontResponseHeadersPolicy:
    policy = CloudfrontResponseHeadersPolicy(
        scope,
        "security-headers",
        name=name,
        security_headers_config=CloudfrontResponseHeadersPolicySecurityHeadersConfig(
            strict_transport_security=CloudfrontResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurity(
                access_control_max_age_sec=HSTS_MAX_AGE_S,
                include_subdomains=hsts_preload,
                preload=hsts_preload,
                override=True,
            ),
            content_security_policy=CloudfrontResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicy(
                content_security_policy=csp, override=True
            ),
            content_type_options=CloudfrontResponseHeadersPolicySecurityHeadersConfigContentTypeOptions(
                override=True
            ),
            frame_options=CloudfrontResponseHeadersPolicySecurityHeadersConfigFrameOptions(
                frame_option="DENY", override=True
            ),
            referrer_policy=CloudfrontResponseHeadersPolicySecurityHeadersConfigReferrerPolicy(
                referrer_policy="strict-origin-when-cross-origin", override=True
            ),
        ),
    )
    if not hsts_preload:
        accept_findings(policy, HSTS_FINDINGS)
    return policy
