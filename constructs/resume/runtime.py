"""How Lambda runs the counter: shared by the function construct and the local cloud."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Final

HANDLER: Final = "visitor_counter.handler.lambda_handler"
RUNTIME: Final = "python3.13"
ARCHITECTURE: Final = "arm64"
# The handler runs on the botocore the runtime ships (the zip holds no third-party code),
# which Lambda updates with the runtime's security patches ("Auto", its default, kept: a
# function pinned to "FunctionUpdate" gets none until its code changes). What the handler
# relies on from botocore is small and stable since botocore 1.15: `Config(retries=
# {"total_max_attempts": 1})` turning its own retries off, connect and read timeouts, and
# its exception classes; with other sites, its assume-role credentials (docs/architecture.md).


def zip_sha256_base64(zip_path: Path) -> str:
    """The hash Lambda reports for a package (CodeSha256); a changed zip is a new deployment."""
    return base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode("ascii")
