"""Show what a deploy would change: init and plan every stack against its remote state.

python -m resume_tools.cli.diff --stage dev    exit 0: no changes, 2: changes, 1: error

--no-lock plans without taking the state lock (a read-only role cannot write it);
--summary FILE appends a Markdown list of resource addresses and actions to FILE and
prints only that list, never Terraform's plan with its attribute values.
"""

from __future__ import annotations

import os
from pathlib import Path

from resume_tools.cli import Command, add_stage_arguments, stage_config
from resume_tools.deploy.diff import diff, summary

NO_CHANGES, CHANGES = 0, 2


def main(argv: list[str] | None = None) -> int:
    """Print each stack's plan; the exit code says whether anything would change."""
    command = Command("diff", __doc__)
    add_stage_arguments(command, os.environ)
    command.parser.add_argument(
        "--no-lock", action="store_true", help="do not take the state lock (read-only roles)"
    )
    command.parser.add_argument(
        "--summary", type=Path, help="append addresses and actions (Markdown) to this file"
    )
    args = command.parse(argv)

    def run() -> int:
        config = stage_config(command, args, os.environ)
        plans = diff(Path.cwd(), config, os.environ, command.log, lock=not args.no_lock)
        if args.summary:
            text = summary(config.stage, plans)
            with args.summary.open("a", encoding="utf-8") as handle:
                handle.write(text)
            print(text, end="")
        else:
            for kind, plan in plans.items():
                print(f"\n=== {kind} ===\n{plan.text}")
        command.log(f"changes in {', '.join(plans)}" if plans else "no changes")
        return CHANGES if plans else NO_CHANGES

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
