"""The CLI layer every tool shares: one error line, one set of exit codes, stage arguments.

Exit codes everywhere, as argparse itself uses them: 2 for a usage error (argparse's own
`<prog>: error: …` line), 1 for an operational failure (the same line, from `Command.run`).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Mapping, Sequence

from resume.config import KNOWN_STAGES, AppConfig, ConfigError, load_config
from resume_tools.errors import OpsError

USAGE_ERROR, FAILURE = 2, 1


class Command:
    """One tool's parser, error line and log prefix."""

    def __init__(self, prog: str, description: str | None) -> None:
        self.prog = prog
        self.parser = argparse.ArgumentParser(
            prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
        )

    def parse(self, argv: Sequence[str] | None) -> argparse.Namespace:
        """Parse `argv`; a usage error prints argparse's line and exits 2."""
        return self.parser.parse_args(argv)

    def usage_error(self, message: str) -> None:
        """Print `<prog>: error: message` with the usage, and exit 2."""
        self.parser.error(message)

    def run(self, body: Callable[[], int]) -> int:
        """Run the tool's work; a ConfigError or OpsError becomes one line and exit 1."""
        try:
            return body()
        except (ConfigError, OpsError) as exc:
            return self.fail(str(exc))

    def fail(self, message: str) -> int:
        """Print `<prog>: error: message` and return the failure exit code."""
        print(f"{self.prog}: error: {message}", file=sys.stderr, flush=True)
        return FAILURE

    def log(self, message: str) -> None:
        """Print one progress line as `<prog>: message`, flushed at once."""
        print(f"{self.prog}: {message}", flush=True)


def add_stage_arguments(command: Command, env: Mapping[str, str]) -> None:
    """--stage and --region, defaulting to RESUME_STAGE and RESUME_REGION."""
    command.parser.add_argument("--stage", default=env.get("RESUME_STAGE"), choices=KNOWN_STAGES)
    command.parser.add_argument("--region", default=env.get("RESUME_REGION"))


def stage_config(command: Command, args: argparse.Namespace, env: Mapping[str, str]) -> AppConfig:
    """The config from the environment with --stage/--region on top; the stage is required."""
    if not args.stage:
        command.usage_error(
            f"a stage is required: --stage {{{','.join(KNOWN_STAGES)}}} or RESUME_STAGE"
        )
    overrides = {"stage": args.stage, **({"region": args.region} if args.region else {})}
    return load_config(env, overrides)


def stop_on_signals() -> None:
    """Make SIGINT and SIGTERM raise KeyboardInterrupt, so `with` blocks clean up.

    Installed explicitly: a process started from a non-interactive shell's background job
    inherits SIGINT as ignored, and Python then leaves it ignored; a service manager or a
    container stops with SIGTERM, which would otherwise kill without cleanup.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
