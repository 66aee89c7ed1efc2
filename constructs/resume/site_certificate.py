"""A custom domain for the site: ACM certificate (us-east-1), DNS validation, alias records."""

from __future__ import annotations

from cdktf import TerraformIterator, TerraformResourceLifecycle, Token
from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
from cdktf_cdktf_provider_aws.acm_certificate_validation import AcmCertificateValidation
from cdktf_cdktf_provider_aws.cloudfront_distribution import (
    CloudfrontDistributionViewerCertificate,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_record import Route53Record, Route53RecordAlias

from constructs import Construct

# CloudFront only uses certificates from us-east-1.
CERTIFICATE_REGION = "us-east-1"
MINIMUM_TLS = "TLSv1.2_2021"


class SiteCertificate(Construct):
    """A DNS-validated certificate for the apex and www names of `domain_name`."""

    def __init__(
        self, scope: Construct, id_: str, *, domain_name: str, zone_id: str, provider: AwsProvider
    ) -> None:
        super().__init__(scope, id_)
        self.domain_name = domain_name
        self.zone_id = zone_id
        self.aliases = [domain_name, f"www.{domain_name}"]
        certificate = AcmCertificate(
            self,
            "certificate",
            provider=provider,
            domain_name=domain_name,
            subject_alternative_names=[f"www.{domain_name}"],
            validation_method="DNS",
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        options = TerraformIterator.from_complex_list(
            certificate.domain_validation_options, "domain_name"
        )
        records = Route53Record(
            self,
            "validation-record",
            for_each=options,
            zone_id=zone_id,
            name=options.get_string("resource_record_name"),
            type=options.get_string("resource_record_type"),
            records=[options.get_string("resource_record_value")],
            ttl=60,
            allow_overwrite=True,
        )
        validation = AcmCertificateValidation(
            self,
            "validation",
            provider=provider,
            certificate_arn=certificate.arn,
            validation_record_fqdns=Token.as_list(
                f"${{[for record in {records.fqn} : record.fqdn]}}"
            ),
        )
        self.viewer_certificate = CloudfrontDistributionViewerCertificate(
            acm_certificate_arn=validation.certificate_arn,
            ssl_support_method="sni-only",
            minimum_protocol_version=MINIMUM_TLS,
        )

    def add_alias_records(self, distribution_domain: str, distribution_zone_id: str) -> None:
        """A and AAAA alias records for every name, pointing at the distribution."""
        for name in self.aliases:
            for record_type in ("A", "AAAA"):
                Route53Record(
                    self,
                    f"{record_type.lower()}-{name.replace('.', '-')}",
                    zone_id=self.zone_id,
                    name=name,
                    type=record_type,
                    alias=Route53RecordAlias(
                        name=distribution_domain,
                        zone_id=distribution_zone_id,
                        evaluate_target_health=False,
                    ),
                )
