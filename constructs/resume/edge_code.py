"""The site's viewer-request function code, filled in for one stage (no cdktf import).

One JavaScript file, resume/edge/viewer_request.js, is both what CloudFront runs and what
the local site server runs under Node; only its CONFIG line differs between sites.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

SOURCE: Final = Path(__file__).parent / "edge" / "viewer_request.js"
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
    source = SOURCE.read_text()
    config = json.dumps(
        {"extensionless": extensionless, "redirectHosts": dict(sorted(hosts.items()))},
        sort_keys=True,
    )
    code, replaced = _CONFIG_LINE.subn(lambda _: f"var CONFIG = {config};", source, count=1)
    if replaced != 1:
        raise ValueError(f"{SOURCE} has no 'var CONFIG = …;' line to fill in")
    if len(code.encode()) > MAX_CODE_BYTES:
        raise ValueError(f"the viewer-request function is over {MAX_CODE_BYTES} bytes")
    return code
