"""Synthesize all stacks, paying the provider import only when an input changed.

The cache key hashes every input of a synthesis: our infrastructure sources, main.py,
cdktf.json, the lock files, the function zip, the resolved configuration and the site's
page list. A match with
the key stored beside the output means the output is current, and no process is started.
The resolved configuration reaches `main.py` as a JSON file (`--config`), never re-parsed
from environment variables.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from resume.config import AppConfig, config_to_json
from resume.site_pages import extensionless_style, site_error_page, site_page_ids
from resume_tools.errors import OpsError

KEY_FILE = ".synth-key"
CONFIG_FILE = ".synth-config.json"
_SOURCE_GLOBS = (
    "main.py", "cdktf.json", "requirements/*.txt", "constructs/resume/*.py",
    "constructs/resume/edge/*.js",
)  # fmt: skip


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
    digest.update(config_to_json(config).encode())
    # The backend's known-pages item lists the site's pages; the frontend serves its 404 page
    # and rewrites URIs by the site's layout.
    site = root / config.site_dir
    facts = [*site_page_ids(site), site_error_page(site), extensionless_style(site)]
    digest.update("\n".join(facts).encode())
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except FileNotFoundError:
        raise OpsError(f"{path} does not exist; build the function with `nox -s package`") from None


def synthesize(root: Path, config: AppConfig, env: Mapping[str, str], outdir: Path) -> SynthResult:
    """Run `python main.py --config …` for `config` into `outdir`, unless the output is current."""
    key = synth_key(root, config)
    key_file = outdir / KEY_FILE
    if key_file.is_file() and key_file.read_text() == key and (outdir / "manifest.json").is_file():
        return SynthResult(outdir, key, reused=True)
    key_file.unlink(missing_ok=True)
    outdir.mkdir(parents=True, exist_ok=True)  # cdktf creates only the last level
    config_file = outdir / CONFIG_FILE
    config_file.write_text(config_to_json(config), encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "main.py", "--config", str(config_file)],
        cwd=root,
        env={**env, "CDKTF_OUTDIR": str(outdir)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise OpsError(f"synth failed: {last}")
    key_file.write_text(key)
    return SynthResult(outdir, key, reused=False)
