"""Make a new stats token for a stage and print it once (the old token stops working).

    python -m resume_tools.cli.stats_token --stage dev [--site shop]

Only the token's SHA-256 is stored, in the stage's counter table; the token is printed
here and nowhere else. Open the printed link: the page keeps the token for the tab only.
"""

from __future__ import annotations

import os

from resume_tools.aws import aws_client
from resume_tools.cli import Command, add_stage_arguments, stage_config
from resume_tools.deploy.stats_token import deployed_site_url, new_stats_token, stats_page_url
from resume_tools.errors import OpsError


def main(argv: list[str] | None = None) -> int:
    """Store a new token's hash in the stage's table; print the token and the stats link."""
    command = Command("stats-token", __doc__)
    add_stage_arguments(command, os.environ)
    command.parser.add_argument(
        "--site",
        default="",
        help="one of the stage's other sites (the config's `sites`); default: the first",
    )
    args = command.parse(argv)

    def run() -> int:
        config = stage_config(command, args, os.environ)
        site = args.site or config.site_id
        if site not in config.site_ids:
            raise OpsError(
                f"--site {site!r}: the {config.stage} stage counts {', '.join(config.site_ids)}"
            )
        table = config.resolved_table_name
        # First, as it may refuse (a state bucket another account owns): the old token then
        # still works, rather than being replaced by one never shown.
        site_url = deployed_site_url(config)
        token = new_stats_token(aws_client("dynamodb", config), table, site)
        command.log(
            f"a new token for {site} in {config.stage} (table {table}); the old one no longer works"
        )
        print(f"token: {token}")
        named = "" if site == config.site_id else site
        if site_url:
            print(f"stats: {stats_page_url(site_url, token, named)}")
        else:
            print(f"stats: open {stats_page_url('https://YOUR-SITE', token, named)}")
        return 0

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
