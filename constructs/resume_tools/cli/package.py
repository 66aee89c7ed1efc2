"""Build the Lambda zip (`nox -s package`).

python -m resume_tools.cli.package [--function-dir function] [--out build/function.zip]
"""

from __future__ import annotations

from pathlib import Path

from resume_tools.artifacts.package import build
from resume_tools.cli import Command


def main(argv: list[str] | None = None) -> int:
    """Build the zip and print its path, size and hash."""
    command = Command("package", __doc__)
    command.parser.add_argument("--function-dir", type=Path, default=Path("function"))
    command.parser.add_argument("--out", type=Path, default=Path("build/function.zip"))
    args = command.parse(argv)
    if not (args.function_dir / "visitor_counter").is_dir():
        command.usage_error(f"{args.function_dir}/visitor_counter not found")

    def run() -> int:
        package = build(args.function_dir, args.out)
        state = "unchanged, reused" if package.reused else "built"
        print(f"{package.path} {state}: {package.size_bytes} bytes, sha256 {package.sha256}")
        return 0

    return command.run(run)


if __name__ == "__main__":
    raise SystemExit(main())
