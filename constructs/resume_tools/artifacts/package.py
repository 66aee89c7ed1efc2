"""Build the Lambda zip: byte-identical for identical sources, nothing but runtime code."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from resume_tools.artifacts.bot_rules import write_rules
from resume_tools.errors import OpsError

# Zip entries get this timestamp (the earliest a zip can hold), so builds are reproducible.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
LAMBDA_PLATFORM = "manylinux2014_aarch64"
LAMBDA_PYTHON = "3.13"
_EXCLUDED_PARTS = frozenset({"__pycache__", "tests", ".pytest_cache", ".mypy_cache"})
_EXCLUDED_SUFFIXES = frozenset({".pyc", ".pyo"})


@dataclass(frozen=True)
class Package:
    """A built zip and what identifies it."""

    path: Path
    sha256: str
    size_bytes: int
    reused: bool


def source_files(function_dir: Path) -> list[Path]:
    """The handler's own files that belong in the zip, sorted."""
    return sorted(
        path
        for path in (function_dir / "visitor_counter").rglob("*")
        if path.is_file() and _wanted(path.relative_to(function_dir))
    )


def _wanted(relative: Path) -> bool:
    return not (_EXCLUDED_PARTS & set(relative.parts)) and relative.suffix not in _EXCLUDED_SUFFIXES


def requirement_lines(requirements: Path) -> list[str]:
    """Non-comment lines of a requirements file (for the function: third-party code to bundle)."""
    text = requirements.read_text()
    return [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]


def input_digest(function_dir: Path) -> str:
    """A hash of everything that goes into the zip: the cache key of a build."""
    digest = hashlib.sha256()
    for path in [*source_files(function_dir), function_dir / "requirements.txt"]:
        digest.update(str(path.relative_to(function_dir)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(function_dir: Path, out: Path) -> Package:
    """Build `out` from `function_dir`, or reuse it when its inputs have not changed.

    The bot rules are generated into the sources first, so no path to a zip can miss them.
    """
    write_rules(function_dir / "visitor_counter")
    stamp = out.with_suffix(".inputs")
    key = input_digest(function_dir)
    if out.is_file() and stamp.is_file() and stamp.read_text() == key:
        return _describe(out, reused=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as deps_dir:
        entries = [(p.relative_to(function_dir), p) for p in source_files(function_dir)]
        requirements = requirement_lines(function_dir / "requirements.txt")
        if requirements:
            _install_dependencies(function_dir / "requirements.txt", Path(deps_dir))
            deps = Path(deps_dir)
            entries += [
                (p.relative_to(deps), p)
                for p in deps.rglob("*")
                if p.is_file() and _wanted(p.relative_to(deps))
            ]
        partial = out.with_suffix(".partial")
        _write_zip(partial, entries)
        partial.replace(out)
    stamp.write_text(key)
    return _describe(out, reused=False)


def _install_dependencies(requirements: Path, target: Path) -> None:
    # Binary wheels for the Lambda platform only: nothing compiles on this machine.
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--no-deps",
        "--require-hashes", "--only-binary=:all:", "--implementation", "cp",
        "--platform", LAMBDA_PLATFORM, "--python-version", LAMBDA_PYTHON,
        "--target", str(target), "-r", str(requirements),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise OpsError(f"could not fetch the function's dependencies: {result.stderr.strip()}")


def _write_zip(out: Path, entries: list[tuple[Path, Path]]) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in sorted(entries, key=lambda entry: entry[0].as_posix()):
            info = zipfile.ZipInfo(name.as_posix(), date_time=FIXED_DATE_TIME)
            info.external_attr = (0o100000 | FILE_MODE) << 16  # a regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, path.read_bytes())


def _describe(path: Path, *, reused: bool) -> Package:
    data = path.read_bytes()
    return Package(path, hashlib.sha256(data).hexdigest(), len(data), reused)
