"""Create GitHub Actions' roles in the AWS account of your credentials (`nox -s bootstrap`).

python -m resume_tools.cli.bootstrap --github-repo OWNER/REPO [--region eu-west-2]

Once per account, with administrator credentials. It prints the `gh` commands that create
the environments and set the variables the workflows read.
"""

from __future__ import annotations

import os
from pathlib import Path

from resume.config import load_config
from resume_tools.cli import Command
from resume_tools.deploy.bootstrap import bootstrap, github_setup


def main(argv: list[str] | None = None) -> int:
    """Apply the CI identity stack, then print what to set in the repository."""
    command = Command("bootstrap", __doc__)
    command.parser.add_argument(
        "--github-repo",
        default=os.environ.get("RESUME_GITHUB_REPO"),
        help="OWNER/REPO whose workflows may deploy (default: RESUME_GITHUB_REPO)",
    )
    command.parser.add_argument("--region", default=os.environ.get("RESUME_REGION"))
    args = command.parser.parse_args(argv)
    if not args.github_repo:
        command.usage_error("a repository is required: --github-repo OWNER/REPO")

    def run() -> int:
        overrides = {"github_repo": args.github_repo}
        if args.region:
            overrides["region"] = args.region
        config = load_config(os.environ, overrides)
        identity = bootstrap(Path.cwd(), config, os.environ, command.log)
        command.log("CI roles " + ("created or updated" if identity.changed else "unchanged"))
        command.log(f"plan role   {identity.plan_role_arn}")
        for stage, arn in identity.deploy_role_arns.items():
            command.log(f"deploy role {stage:<7} {arn}")
        command.log("now, in the repository (GitHub CLI, authenticated as an admin of it):")
        for line in github_setup(identity):
            print(line, flush=True)
        return 0

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
