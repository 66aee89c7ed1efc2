"""Checkov on the synthesized stacks; every accepted finding carries its reason (`nox -s checkov`).

    python -m resume_tools.cli.checkov CDKTF_OUT_DIR/stacks [--checkov PATH] [--sarif FILE]

Exit 0 when nothing is left unexplained, 1 when a finding is not accepted in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from resume_tools.checks.checkov_gate import gate, write_sarif
from resume_tools.cli import FAILURE, Command


def main(argv: list[str] | None = None) -> int:
    """Print the summary and every finding; fail on any unaccepted one."""
    command = Command("checkov", __doc__)
    command.parser.add_argument("stacks_dir", type=Path)
    command.parser.add_argument("--checkov", default=shutil.which("checkov") or "")
    command.parser.add_argument("--sarif", type=Path, help="also write the findings as SARIF")
    args = command.parse(argv)
    if not args.checkov or not Path(args.checkov).exists():
        command.usage_error("checkov not found; `nox -s checkov` installs it")

    def run() -> int:
        result = gate(args.checkov, [args.stacks_dir])
        if args.sarif:
            write_sarif(args.checkov, args.stacks_dir, args.sarif)
        print(f"checkov: {result.passed} passed, {len(result.unaccepted)} failed, "
              f"{len(result.accepted)} accepted with a reason")  # fmt: skip
        for finding in result.accepted:
            print(f"  accepted {finding.check_id} on {finding.resource}: {finding.reason}")
        for finding in result.unaccepted:
            print(f"  FAILED {finding.check_id} on {finding.resource} ({finding.file})")
        for error in result.parsing_errors:
            print(f"  PARSE ERROR {error}")
        return 0 if result.ok else FAILURE

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
