"""The distribution's function code, filled in for one stage (no cdktf import).

Each JavaScript file in resume/edge is both what CloudFront runs and what the local site
server runs under Node: viewer_request.js for the site's pages, api_request.js for /api/*.
Only their CONFIG lines differ between sites.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from visitor_counter.viewer import ADDRESS_HEADER, VIEWER_HOST_HEADER

SOURCE: Final = Path(__file__).parent / "edge" / "viewer_request.js"
API_SOURCE: Final = Path(__file__).parent / "edge" / "api_request.js"
# Where the site's pages call the counter; the API sees the path after it.
API_PATH: Final = "/api"
# The distribution's origin id for the API (the local stand-in finds its header by it).
API_ORIGIN_ID: Final = "counter-api"
# The origin statuses the distribution answers with the site's 404 page (status 404), for
# every behaviour, /api/* too (resume.static_site; the local stand-in does the same).
NOT_FOUND_STATUSES: Final = (403, 404)
RUNTIME: Final = "cloudfront-js-2.0"
# CloudFront Functions' quota on a function's code.
MAX_CODE_BYTES: Final = 10_240
_CONFIG_LINE = re.compile(r"^var CONFIG = .*;$", re.MULTILINE)


def redirect_hosts(domain_name: str, canonical_host: str) -> dict[str, str]:
    """Which host redirects to which: www. to the apex, or the apex to www. ("www")."""
    if not domain_name:
        return {}
    www = f"www.{domain_name}"
    return {www: domain_name} if canonical_host == "apex" else {domain_name: www}


def viewer_request_code(hosts: Mapping[str, str], extensionless: str = "index") -> str:
    """The function's code for one site.

    `hosts` maps a lower-case host to its canonical host; `extensionless` says where an
    extension-less URI goes: "index" (`/x/index.html`) or "html" (`/x.html`).
    """
    config = {"extensionless": extensionless, "redirectHosts": dict(sorted(hosts.items()))}
    return _filled(SOURCE, config)


def api_request_code() -> str:
    """The /api/* function's code: the path without API_PATH, the viewer's host and address."""
    return _filled(
        API_SOURCE,
        {"addressHeader": ADDRESS_HEADER, "hostHeader": VIEWER_HOST_HEADER, "prefix": API_PATH},
    )


def _filled(source_file: Path, config: Mapping[str, object]) -> str:
    """`source_file` with its CONFIG line set to `config`, within CloudFront's size quota."""
    line = json.dumps(config, sort_keys=True)
    code, replaced = _CONFIG_LINE.subn(
        lambda _: f"var CONFIG = {line};", source_file.read_text(), count=1
    )
    if replaced != 1:
        raise ValueError(f"{source_file} has no 'var CONFIG = …;' line to fill in")
    if len(code.encode()) > MAX_CODE_BYTES:
        raise ValueError(f"{source_file.name} is over {MAX_CODE_BYTES} bytes")
    return code
