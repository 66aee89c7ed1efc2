"""How Lambda runs the counter: shared by the function construct and the local cloud."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Final

HANDLER: Final = "visitor_counter.handler.lambda_handler"
RUNTIME: Final = "python3.13"
ARCHITECTURE: Final = "arm64"


def zip_sha256_base64(zip_path: Path) -> str:
    """The hash Lambda reports for a package (CodeSha256); a changed zip is a new deployment."""
    return base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode("ascii")
