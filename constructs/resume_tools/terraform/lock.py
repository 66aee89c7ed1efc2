"""The committed provider lock: copied into every stack folder, read-only at every init.

cdktf writes each stack to a folder of its own, where `terraform init` looks for
`.terraform.lock.hcl`; without one, Terraform trusts whatever provider binary it finds on
first use. With the project's lock copied in and `-lockfile=readonly`, a provider whose
hash is not in the lock is refused, and no init ever rewrites the lock.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from resume_tools.errors import OpsError

LOCK_FILE = ".terraform.lock.hcl"
READ_ONLY = "-lockfile=readonly"


def install_lock(root: Path, stack_dir: Path) -> None:
    """Put the project's provider lock into a synthesized stack's folder."""
    lock = root / LOCK_FILE
    if not lock.is_file():
        raise OpsError(f"{LOCK_FILE} is missing from {root}: restore it from git")
    shutil.copyfile(lock, stack_dir / LOCK_FILE)
