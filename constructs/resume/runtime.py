"""How Lambda runs the counter: shared by the function construct and the local cloud."""

from __future__ import annotations

from typing import Final

HANDLER: Final = "visitor_counter.handler.lambda_handler"
RUNTIME: Final = "python3.13"
ARCHITECTURE: Final = "arm64"
