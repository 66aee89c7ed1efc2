"""Running Terraform with the project's own CLI config (the provider mirror, no prompts)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from resume_tools.errors import OpsError
from resume_tools.terraform.mirror import find_provider_mirror

# What of the caller's AWS settings could send an emulated stage's calls elsewhere: a
# service's own endpoint (AWS_ENDPOINT_URL_S3, …) and a profile's `endpoint_url`.
_OWN_ENDPOINT_PREFIX = "AWS_ENDPOINT_URL_"
_OWN_PROFILE = frozenset({"AWS_PROFILE", "AWS_DEFAULT_PROFILE"})


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


def terraform_env(
    project_root: Path, env: Mapping[str, str], *, emulator_endpoint: str | None = None
) -> dict[str, str]:
    """Environment for every Terraform call: our CLI config, no prompts.

    Always our own CLI config: the machine may set a TF_CLI_CONFIG_FILE that does not exist.
    With `emulator_endpoint` (an emulated stage), every AWS call of the provider goes there:
    the synthesized provider names no endpoint (resume.providers says why), so this is what
    points it at the emulator. Service-specific endpoints and profiles of the caller's own,
    which would take precedence over it, are dropped.
    """
    workdir = project_root / ".terraform-cli"
    plugin_cache = workdir / "plugin-cache"
    plugin_cache.mkdir(parents=True, exist_ok=True)
    config_file = workdir / "terraformrc"
    text = cli_config_text(find_provider_mirror(env), plugin_cache)
    if not config_file.is_file() or config_file.read_text() != text:
        config_file.write_text(text)
    emulated: dict[str, str] = {}
    if emulator_endpoint:
        env = {
            name: value
            for name, value in env.items()
            if not name.startswith(_OWN_ENDPOINT_PREFIX) and name not in _OWN_PROFILE
        }
        emulated = {"AWS_ENDPOINT_URL": emulator_endpoint, "AWS_CONFIG_FILE": os.devnull}
    return {
        **env,
        **emulated,
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
