"""How Lambda runs the counter: shared by the function construct and the local cloud."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Final

HANDLER: Final = "visitor_counter.handler.lambda_handler"
RUNTIME: Final = "python3.13"
ARCHITECTURE: Final = "arm64"
# The handler runs on the botocore the runtime ships (the zip holds no third-party code).
# Lambda's default ("Auto") swaps the runtime, and that botocore, under a running function
# at any time; "FunctionUpdate" swaps it only when a deploy updates the function, and every
# deploy then proves the counting path on it (the smoke check). What the handler relies on
# from botocore: `Config(retries={"total_max_attempts": 1})` turning its own retries off
# (since botocore 1.15), connect and read timeouts, and its exception classes.
RUNTIME_UPDATES: Final = "FunctionUpdate"


def zip_sha256_base64(zip_path: Path) -> str:
    """The hash Lambda reports for a package (CodeSha256); a changed zip is a new deployment."""
    return base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode("ascii")
