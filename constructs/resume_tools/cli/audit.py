"""pip-audit --strict and npm audit on every lock file; never passes having audited nothing.

    python -m resume_tools.cli.audit --pip-audit PATH [--npm PATH] LOCK_FILE...

package-lock.json goes to npm audit, every other lock file to pip-audit (`nox -s audit`).
Exit 0 only when every lock file was audited and is clean; 1 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from resume_tools.checks.audit import audit_lock
from resume_tools.cli import FAILURE, Command


def main(argv: list[str] | None = None) -> int:
    """Audit each lock file, one verdict each."""
    command = Command("audit", __doc__)
    command.parser.add_argument("--pip-audit", required=True)
    command.parser.add_argument("--npm", default="npm")
    command.parser.add_argument("locks", nargs="+", type=Path)
    args = command.parse(argv)
    missing = [str(lock) for lock in args.locks if not lock.is_file()]
    if missing:
        command.usage_error(f"{missing[0]} does not exist")

    def run() -> int:
        passed = True
        for lock in args.locks:
            ok, verdict = audit_lock(lock, pip_audit=args.pip_audit, npm=args.npm)
            print(f"audit: {verdict}", file=sys.stdout if ok else sys.stderr)
            passed &= ok
        return 0 if passed else FAILURE

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
