"""Deploy one stage to the AWS account of the current credentials (`nox -s deploy`).

python -m resume_tools.cli.deploy --stage dev [--region eu-west-2]
"""

from __future__ import annotations

import os
from pathlib import Path

from resume_tools.cli import Command, add_stage_arguments, stage_config
from resume_tools.deploy.deploy import deploy


def main(argv: list[str] | None = None) -> int:
    """Package, synth, apply every stack, publish the site, print the URLs."""
    command = Command("deploy", __doc__)
    add_stage_arguments(command, os.environ)
    args = command.parse(argv)

    def run() -> int:
        config = stage_config(command, args, os.environ)
        result = deploy(Path.cwd(), config, os.environ, command.log)
        command.log(f"site {result.frontend.site_url}")
        command.log(f"api  {result.backend.api_url}")
        if config.stats_access == "private":
            command.log(
                f"stats {result.frontend.site_url.rstrip('/')}/stats/ (a token: "
                f"`nox -s stats-token -- --stage {config.stage}` prints its link)"
            )
        return 0

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
