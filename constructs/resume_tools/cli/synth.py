"""Package, then synthesize every stack into cdktf.out/ unless it is current (`nox -s synth`).

python -m resume_tools.cli.synth
"""

from __future__ import annotations

import os
from pathlib import Path

from resume.config import load_config
from resume_tools.artifacts.workspace import prepare
from resume_tools.cli import Command
from resume_tools.log import quiet


def main(argv: list[str] | None = None) -> int:
    """Synthesize the configuration the environment describes."""
    command = Command("synth", __doc__)
    command.parse(argv)

    def run() -> int:
        workspace = prepare(Path.cwd(), load_config(os.environ), os.environ, quiet, terraform=False)
        result = workspace.synth
        state = "unchanged, reused" if result.reused else "synthesized"
        print(f"synth: {state} {result.outdir} (key {result.key[:12]})")
        return 0

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
