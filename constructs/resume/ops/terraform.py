"""Running Terraform with the project's own CLI config, offline through a provider mirror."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from resume.ops.errors import OpsError

AWS_PROVIDER_VERSION = "5.100.0"
MIRROR_ENV = "TF_PROVIDER_MIRROR"
_PROVIDER_DIR = Path("registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION)
# Where Terraform itself looks for plugins (its "implied local mirror directories").
_HOME_PLUGIN_DIRS = (".terraform.d/plugins", ".local/share/terraform/plugins")
_SYSTEM_PLUGIN_DIRS = ("/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins")
# Searched last, a few levels deep, for a mirror someone unpacked elsewhere.
_SEARCH_ROOTS = ("/opt", "/usr/local", "/srv", "/var/lib")
_SEARCH_DEPTH = 3


def platform_dir() -> str:
    """Terraform's name for this machine's platform, e.g. linux_amd64."""
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{platform.system().lower()}_{arch}"


def has_provider(mirror: Path) -> bool:
    """True if `mirror` holds hashicorp/aws at our version for this platform."""
    return any((mirror / _PROVIDER_DIR / platform_dir()).glob("terraform-provider-aws*")) or any(
        (mirror / _PROVIDER_DIR.parent).glob(f"terraform-provider-aws_{AWS_PROVIDER_VERSION}_*.zip")
    )


def find_provider_mirror(env: Mapping[str, str]) -> Path | None:
    """The mirror folder: $TF_PROVIDER_MIRROR, else Terraform's plugin folders, else a search.

    None means no mirror: Terraform downloads the provider (fine online, e.g. in GitHub CI).
    """
    configured = env.get(MIRROR_ENV)
    if configured:
        mirror = Path(configured).expanduser()
        if not has_provider(mirror):
            raise OpsError(
                f"{MIRROR_ENV}={configured} has no {_PROVIDER_DIR}/{platform_dir()}/ "
                "terraform-provider-aws binary; point it at a `terraform providers mirror` folder"
            )
        return mirror
    home = Path(env.get("HOME", "~")).expanduser()
    candidates = [home / d for d in _HOME_PLUGIN_DIRS]
    data_dirs = env.get("XDG_DATA_DIRS", "")
    candidates += [Path(d) / "terraform" / "plugins" for d in data_dirs.split(":") if d]
    candidates += [Path(d) for d in _SYSTEM_PLUGIN_DIRS]
    for candidate in candidates:
        if has_provider(candidate):
            return candidate
    return _search_for_mirror()


def _search_for_mirror() -> Path | None:
    for root in map(Path, _SEARCH_ROOTS):
        if not root.is_dir():
            continue
        for dirpath, dirnames, _ in os.walk(root):
            here = Path(dirpath)
            if "registry.terraform.io" in dirnames and has_provider(here):
                return here
            if len(here.relative_to(root).parts) >= _SEARCH_DEPTH:
                dirnames.clear()
    return None


def find_terraform(env: Mapping[str, str]) -> str:
    """The terraform binary on PATH, or an OpsError saying what to install."""
    found = shutil.which("terraform", path=env.get("PATH"))
    if not found:
        raise OpsError(
            "terraform not found on PATH: install Terraform >= 1.10 "
            "(https://developer.hashicorp.com/terraform/install)"
        )
    return found


def cli_config_text(mirror: Path | None, plugin_cache: Path) -> str:
    """A Terraform CLI config: shared plugin cache, and the mirror for hashicorp/aws if any."""
    lines = [f'plugin_cache_dir = "{plugin_cache}"', "disable_checkpoint = true"]
    if mirror is not None:
        lines += [
            "provider_installation {",
            "  filesystem_mirror {",
            f'    path    = "{mirror}"',
            '    include = ["registry.terraform.io/hashicorp/aws"]',
            "  }",
            "  direct {",
            '    exclude = ["registry.terraform.io/hashicorp/aws"]',
            "  }",
            "}",
        ]
    return "\n".join(lines) + "\n"


def terraform_env(project_root: Path, env: Mapping[str, str]) -> dict[str, str]:
    """Environment for every Terraform call: our CLI config, no prompts.

    Always our own CLI config: the machine may set a TF_CLI_CONFIG_FILE that does not exist.
    """
    workdir = project_root / ".terraform-cli"
    plugin_cache = workdir / "plugin-cache"
    plugin_cache.mkdir(parents=True, exist_ok=True)
    config_file = workdir / "terraformrc"
    text = cli_config_text(find_provider_mirror(env), plugin_cache)
    if not config_file.is_file() or config_file.read_text() != text:
        config_file.write_text(text)
    return {
        **env,
        "TF_CLI_CONFIG_FILE": str(config_file),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }


def run_terraform(
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    capture: bool = False,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `terraform args` in `cwd`; raise OpsError with Terraform's last words on failure."""
    binary = find_terraform(env)
    result = subprocess.run(  # noqa: S603 - fixed binary, arguments built by us
        [binary, *args],
        cwd=cwd,
        env=dict(env),
        text=True,
        capture_output=capture,
        check=False,
    )
    if check and result.returncode != 0:
        detail = (
            (result.stderr or result.stdout or "").strip().splitlines()[-12:] if capture else []
        )
        raise OpsError(
            f"terraform {args[0]} failed in {cwd.name} (exit {result.returncode})"
            + ("\n" + "\n".join(detail) if detail else "")
        )
    return result
