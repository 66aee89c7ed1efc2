"""One JSON object per log line, so CloudWatch Logs Insights can query every field."""

from __future__ import annotations

import json
import sys
import time
from typing import Any, TextIO

_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}


class JsonLogger:
    """A minimal structured logger: no handlers, no formatters, one write per line."""

    def __init__(self, level: str = "INFO", stream: TextIO | None = None) -> None:
        self._threshold = _LEVELS[level]
        self._stream = stream

    def log(self, level: str, message: str, **fields: Any) -> None:
        """Write one line if `level` is at or above the threshold."""
        if _LEVELS[level] < self._threshold:
            return
        line = {"level": level, "message": message, "timestamp": round(time.time(), 3), **fields}
        stream = self._stream or sys.stdout
        stream.write(json.dumps(line, default=str, separators=(",", ":")) + "\n")

    def info(self, message: str, **fields: Any) -> None:
        """Log at INFO."""
        self.log("INFO", message, **fields)

    def warning(self, message: str, **fields: Any) -> None:
        """Log at WARNING."""
        self.log("WARNING", message, **fields)

    def error(self, message: str, **fields: Any) -> None:
        """Log at ERROR."""
        self.log("ERROR", message, **fields)
