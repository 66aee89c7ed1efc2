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
from dataclasses import dataclass
from typing import Final

ORIGIN_VERIFY_HEADER: Final = "x-origin-verify"
VIEWER_HOST_HEADER: Final = "x-viewer-host"
COUNTRY_HEADER: Final = "cloudfront-viewer-country"
# The viewer's address, as the distribution's /api function reads it (event.viewer.ip):
# through CloudFront, API Gateway's sourceIp is CloudFront's own edge server's.
ADDRESS_HEADER: Final = "x-viewer-address"
# Stored for a view whose country CloudFront did not say (or that did not come through it).
UNKNOWN_COUNTRY: Final = "unknown"
# ISO 3166-1 alpha-2's 249 codes, which CloudFront sends, and Kosovo's XK, which address
# databases use: any other value is not a country. A fixed set also bounds a day's item
# (resume.capacity: a count for each of ~250 names).
_COUNTRY_CODES: Final = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
    "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
    "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
    "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
    "US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"
)
COUNTRIES: Final = frozenset(_COUNTRY_CODES.split())
# A DNS name (the distribution's or an alias), as CloudFront accepts it in Host.
_HOST: Final = re.compile(
    r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+"
)


@dataclass(frozen=True)
class Viewer:
    """What the counter takes of a request's viewer, read once per request (viewer_of)."""

    # The address the daily hash and the client limits use; never stored.
    address: str
    country: str = UNKNOWN_COUNTRY
    # The site's own origin (https://host), an allowed origin; None unless through the site.
    site_origin: str | None = None


def viewer_of(headers: Mapping[str, str], secret: str, source_ip: str) -> Viewer:
    """The request's viewer: what the distribution says, when the request carries its secret.

    Else API Gateway's `source_ip`, an unknown country and no site origin.
    """
    if not through_site(headers, secret):
        return Viewer(source_ip)
    return Viewer(_address(headers, source_ip), _country(headers), _site_origin(headers))


def through_site(headers: Mapping[str, str], secret: str) -> bool:
    """True when the request came through the site's distribution (it carries the secret)."""
    presented = headers.get(ORIGIN_VERIFY_HEADER, "")
    # surrogatepass: a lone surrogate in a header must not fail the request.
    return bool(secret) and hmac.compare_digest(
        presented.encode("utf-8", "surrogatepass"), secret.encode()
    )


def _country(headers: Mapping[str, str]) -> str:
    """CloudFront's country in lower case, UNKNOWN_COUNTRY unless one of COUNTRIES.

    A garbled or made-up value is never stored.
    """
    value = headers.get(COUNTRY_HEADER, "")
    return value.lower() if value in COUNTRIES else UNKNOWN_COUNTRY


def _site_origin(headers: Mapping[str, str]) -> str | None:
    """https:// and the host the viewer asked for, when it is a DNS name."""
    host = headers.get(VIEWER_HOST_HEADER, "").lower()
    return f"https://{host}" if _HOST.fullmatch(host) else None


def _address(headers: Mapping[str, str], source_ip: str) -> str:
    """The distribution's viewer address, or `source_ip` when it is not an address."""
    try:
        return str(ipaddress.ip_address(headers.get(ADDRESS_HEADER, "")))
    except ValueError:
        return source_ip
