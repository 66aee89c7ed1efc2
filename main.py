"""cdktf entry point (`python main.py`, as cdktf.json says): config in, stacks out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Our packages live in constructs/ (infrastructure) and function/ (the Lambda). The
# constructs/ folder has no __init__.py, so `import constructs` still finds PyPI's.
sys.path[:0] = [str(ROOT / "constructs"), str(ROOT / "function")]

from resume.provider_import import import_provider_lazily  # noqa: E402

import_provider_lazily()

from resume.app import build_app  # noqa: E402
from resume.config import load_config  # noqa: E402


def main() -> None:
    """Synthesize every stack into cdktf.out/ (or $CDKTF_OUTDIR)."""
    config = load_config(os.environ)
    build_app(config, project_root=ROOT).app.synth()


if __name__ == "__main__":
    main()
