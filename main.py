"""cdktf entry point (`python main.py`, as cdktf.json says): config in, stacks out.

`python main.py` reads the config from the environment (RESUME_* variables, or the TOML
file RESUME_CONFIG_FILE names), as `npx cdktf synth` runs it; `nox -s synth` hands it the
config it resolved with `--config FILE.json`, losslessly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Our packages live in constructs/ (infrastructure) and function/ (the Lambda). The
# constructs/ folder has no __init__.py, so `import constructs` still finds PyPI's.
sys.path[:0] = [str(ROOT / "constructs"), str(ROOT / "function")]

from resume.app import build_app  # noqa: E402
from resume.config import config_from_json, load_config  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    """Synthesize every stack into cdktf.out/ (or $CDKTF_OUTDIR)."""
    parser = argparse.ArgumentParser(prog="main.py", description=__doc__)
    parser.add_argument("--config", type=Path, help="a resolved config, as JSON")
    args = parser.parse_args(argv)
    if args.config:
        config = config_from_json(args.config.read_text(encoding="utf-8"))
    else:
        config = load_config(os.environ)
    build_app(config, project_root=ROOT).app.synth()


if __name__ == "__main__":
    main()
