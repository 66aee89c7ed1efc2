"""Parliament findings a policy accepts on purpose, recorded next to the policy's resource."""

from __future__ import annotations

from collections.abc import Mapping

from cdktf import TerraformResource

# Beside checkov's notes, under Terraform JSON's comment key.
ACCEPT_PATH = "//.parliament.accept"


def accept_parliament_findings(resource: TerraformResource, reasons: Mapping[str, str]) -> None:
    """Mark parliament issue codes as accepted for this resource's policies, with reasons."""
    resource.add_override(
        ACCEPT_PATH, [{"issue": issue, "comment": reason} for issue, reason in reasons.items()]
    )
