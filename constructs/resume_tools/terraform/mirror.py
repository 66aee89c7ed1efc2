"""Where the hashicorp/aws provider comes from offline: a filesystem mirror, found once."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from pathlib import Path

from resume_tools.errors import OpsError

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
