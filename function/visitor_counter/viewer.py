"""What the site's CloudFront distribution says of a viewer, believed only from it.

The site's pages call the counter through their own distribution (`/api/*`). CloudFront
adds the viewer's country (`CloudFront-Viewer-Country`, from its own address lookup, which
overwrites any the viewer sent) and sends the origin header the deployment's secret is in
(a viewer's header of that name is overwritten too). The distribution's `/api` function
sets `X-Viewer-Host` to the host the viewer asked for: the site's own origin, whatever
its CloudFront name. A request straight to the API's endpoint has no secret: its country
is unknown and its viewer host is ignored, so neither can be forged there.

Through CloudFront, the viewer's address comes from that function too (`X-Viewer-Address`):
API Gateway sees the edge server's. It is read, like sourceIp, only to make the daily hash
and the client limits (visitors.py), never stored.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Mapping
from typing import Final

ORIGIN_VERIFY_HEADER: Final = "x-origin-verify"
VIEWER_HOST_HEADER: Final = "x-viewer-host"
COUNTRY_HEADER: Final = "cloudfront-viewer-country"
# The viewer's address, as the distribution's /api function reads it (event.viewer.ip):
# through CloudFront, API Gateway's sourceIp is CloudFront's own edge server's.
ADDRESS_HEADER: Final = "x-viewer-address"
# Stored for a view whose country CloudFront did not say (or that did not come through it).
UNKNOWN_COUNTRY: Final = "unknown"
# ISO 3166-1 alpha-2, as CloudFront sends it; anything else is not a country.
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
# A DNS name (the distribution's or an alias), as CloudFront accepts it in Host.
_HOST: Final = re.compile(
    r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+"
)


def through_site(headers: Mapping[str, str], secret: str) -> bool:
    """True when the request came through the site's distribution (it carries the secret)."""
    presented = headers.get(ORIGIN_VERIFY_HEADER, "")
    return bool(secret) and hmac.compare_digest(presented.encode(), secret.encode())


def country(headers: Mapping[str, str], secret: str) -> str:
    """The viewer's country in lower case, or UNKNOWN_COUNTRY.

    Unknown when the request did not come through the distribution, or the value is not
    two capital letters (a forged or garbled header is never stored).
    """
    value = headers.get(COUNTRY_HEADER, "")
    if not through_site(headers, secret) or not _COUNTRY.fullmatch(value):
        return UNKNOWN_COUNTRY
    return value.lower()


def site_origin(headers: Mapping[str, str], secret: str) -> str | None:
    """The site's own origin (https://host) when the request came through it, else None."""
    host = headers.get(VIEWER_HOST_HEADER, "").lower()
    if not through_site(headers, secret) or not _HOST.fullmatch(host):
        return None
    return f"https://{host}"


def client_address(headers: Mapping[str, str], secret: str, source_ip: str) -> str:
    """The viewer's address: the distribution's header through the site, else API Gateway's."""
    if not through_site(headers, secret):
        return source_ip
    try:
        return str(ipaddress.ip_address(headers.get(ADDRESS_HEADER, "")))
    except ValueError:
        return source_ip
