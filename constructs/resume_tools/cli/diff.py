"""Show what a deploy would change: init and plan every stack against its remote state.

python -m resume_tools.cli.diff --stage dev    exit 0: no changes, 2: changes, 1: error
"""

from __future__ import annotations

import os
from pathlib import Path

from resume_tools.cli import Command, add_stage_arguments, stage_config
from resume_tools.deploy.diff import diff

NO_CHANGES, CHANGES = 0, 2


def main(argv: list[str] | None = None) -> int:
    """Print each stack's plan; the exit code says whether anything would change."""
    command = Command("diff", __doc__)
    add_stage_arguments(command, os.environ)
    args = command.parse(argv)

    def run() -> int:
        config = stage_config(command, args, os.environ)
        changes = diff(Path.cwd(), config, os.environ, command.log)
        for kind, plan in changes.items():
            print(f"\n=== {kind} ===\n{plan}")
        command.log(f"changes in {', '.join(changes)}" if changes else "no changes")
        return CHANGES if changes else NO_CHANGES

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
