"""Checkov findings a resource accepts on purpose, recorded next to the resource itself."""

from __future__ import annotations

from collections.abc import Mapping

from cdktf import TerraformResource

# Where the reasons go in the synthesized JSON; "//" is Terraform JSON's comment key.
SKIP_PATH = "//.checkov.skip"


def accept_findings(resource: TerraformResource, reasons: Mapping[str, str]) -> None:
    """Mark checkov check ids as accepted for this resource, each with its reason."""
    resource.add_override(
        SKIP_PATH, [{"id": check_id, "comment": reason} for check_id, reason in reasons.items()]
    )
