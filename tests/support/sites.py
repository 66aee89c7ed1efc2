"""Site folders for tests: the files a generator's build would hold, as empty pages."""

from __future__ import annotations

from pathlib import Path


def write_site(root: Path, files: list[str]) -> Path:
    """Create each of `files` (paths relative to `root`) as a minimal HTML page."""
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<!doctype html>")
    return root
