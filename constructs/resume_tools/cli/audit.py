"""pip-audit --strict on every lock file; never passes having audited nothing (`nox -s audit`).

    python -m resume_tools.cli.audit --pip-audit PATH LOCK_FILE...

Exit 0 only when every lock file was audited and is clean; 1 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from resume_tools.checks.audit import audit_lock
from resume_tools.cli import FAILURE, Command


def main(argv: list[str] | None = None) -> int:
    """Audit each lock file, one verdict line each."""
    command = Command("audit", __doc__)
    command.parser.add_argument("--pip-audit", required=True)
    command.parser.add_argument("locks", nargs="+", type=Path)
    args = command.parse(argv)
    missing = [str(lock) for lock in args.locks if not lock.is_file()]
    if missing:
        command.usage_error(f"{missing[0]} does not exist")

    def run() -> int:
        passed = True
        for lock in args.locks:
            ok, verdict = audit_lock(args.pip_audit, lock)
            print(f"audit: {verdict}", file=sys.stdout if ok else sys.stderr)
            passed &= ok
        return 0 if passed else FAILURE

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
