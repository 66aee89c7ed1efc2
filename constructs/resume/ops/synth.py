"""Synthesize all stacks, paying the provider import only when an input changed.

The cache key hashes every input of a synthesis: our infrastructure sources, main.py,
cdktf.json, the lock files, the function zip and the resolved configuration. A match with
the key stored beside the output means the output is current, and no process is started.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from resume.config import AppConfig, ConfigError, load_config
from resume.ops.errors import OpsError

KEY_FILE = ".synth-key"
_SOURCE_GLOBS = ("main.py", "cdktf.json", "requirements/*.txt", "constructs/resume/*.py")


@dataclass(frozen=True)
class SynthResult:
    """Where the stacks are and whether they were synthesized anew."""

    outdir: Path
    key: str
    reused: bool


def synth_key(root: Path, config: AppConfig) -> str:
    """Hash of everything the synthesized JSON depends on."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in _SOURCE_GLOBS for p in root.glob(pattern) if p.is_file()})
    for path in [*files, root / config.function_zip]:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        digest.update(b"\0" + _file_digest(path) + b"\0")
    digest.update(json.dumps(dataclasses.asdict(config), sort_keys=True).encode())
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except FileNotFoundError:
        raise OpsError(f"{path} does not exist; build the function with `nox -s package`") from None


def synthesize(root: Path, config: AppConfig, env: Mapping[str, str], outdir: Path) -> SynthResult:
    """Run `python main.py` for `config` into `outdir`, unless the output is current."""
    key = synth_key(root, config)
    key_file = outdir / KEY_FILE
    if key_file.is_file() and key_file.read_text() == key and (outdir / "manifest.json").is_file():
        return SynthResult(outdir, key, reused=True)
    key_file.unlink(missing_ok=True)
    outdir.mkdir(parents=True, exist_ok=True)  # cdktf creates only the last level
    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=root,
        env={**env, **config_env(config), "CDKTF_OUTDIR": str(outdir)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise OpsError(f"synth failed: {last}")
    key_file.write_text(key)
    return SynthResult(outdir, key, reused=False)


def config_env(config: AppConfig) -> dict[str, str]:
    """RESUME_* variables that make main.py build exactly `config`."""
    env = {}
    for field in dataclasses.fields(AppConfig):
        value = getattr(config, field.name)
        if isinstance(value, tuple):
            items = ["=".join(item) if isinstance(item, tuple) else item for item in value]
            text = ",".join(items)
        else:
            text = str(value)
        env[f"RESUME_{field.name.upper()}"] = text
    return env


def main(argv: list[str] | None = None) -> int:
    """CLI (`nox -s synth`): package, then synthesize into cdktf.out/ unless it is current."""
    from resume.ops.deploy import output_dir, with_account
    from resume.ops.package import build

    del argv
    root = Path.cwd()
    try:
        config = with_account(load_config(os.environ))
        build(root / "function", root / config.function_zip)
        result = synthesize(root, config, os.environ, output_dir(root, config))
    except (ConfigError, OpsError) as exc:
        print(f"synth: error: {exc}", file=sys.stderr)
        return 1
    state = "unchanged, reused" if result.reused else "synthesized"
    print(f"synth: {state} {result.outdir} (key {result.key[:12]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
