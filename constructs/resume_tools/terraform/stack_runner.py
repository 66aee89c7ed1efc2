"""Terraform over the synthesized stacks: init, plan, apply, outputs, state bootstrap."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from resume.config import STATE_BUCKET_VARIABLE
from resume_tools.errors import OpsError
from resume_tools.log import Log
from resume_tools.terraform.lock import LOCK_FILE, READ_ONLY, install_lock
from resume_tools.terraform.run import find_terraform, run_terraform

_APPLY_SUMMARY = re.compile(r"Resources: (\d+) added, (\d+) changed, (\d+) destroyed")
BOOTSTRAP_OVERRIDE = "bootstrap_override.tf.json"
BOOTSTRAP_STATE = "bootstrap.tfstate"
STACK_FILE = "cdk.tf.json"  # what cdktf synthesizes into each stack's folder
# Import blocks for one apply: resources that exist but this stack's state lacks.
IMPORTS_FILE = "imports.tf.json"  # not an override: Terraform takes no import blocks there
NO_CHANGES, CHANGES = 0, 2  # terraform plan -detailed-exitcode
# In .terraform/, beside what init wrote: the hash of everything that init read.
INIT_STAMP = "resume-init"


class StackRunner:
    """Runs Terraform in one synthesized stack's folder, narrating each step."""

    def __init__(
        self,
        stack_dir: Path,
        env: Mapping[str, str],
        log: Log,
        *,
        state_bucket: str,
        lock_root: Path,
    ) -> None:
        """`lock_root` holds the project's provider lock, copied in before every init."""
        self.stack_dir = stack_dir
        self.lock_root = lock_root
        self.name = stack_dir.name
        # The synthesized backends leave the bucket out (its name embeds the account): the
        # backend gets it at init, cross-stack reads through the variable.
        self.env = {**env, f"TF_VAR_{STATE_BUCKET_VARIABLE}": state_bucket}
        self.log = log
        self.state_bucket = state_bucket
        self.backend_config = f"-backend-config=bucket={state_bucket}"

    def _terraform(self, *args: str, check: bool = True) -> Any:
        return run_terraform(
            [*args, "-no-color"], cwd=self.stack_dir, env=self.env, capture=True, check=check
        )

    def init(self) -> None:
        """Terraform init against the stack's backend, unless nothing init reads changed.

        Init reads the stack's `terraform` block (backend, providers), the bucket, the lock
        and the Terraform binary; the emulator's endpoint reaches Terraform through the
        environment at every run, not through init. A stamp of those in `.terraform/` skips
        ~1.7 s per stack and run; any change, or a deleted `.terraform/`, inits again.
        """
        stamp = self._stamp
        if stamp.is_file() and stamp.read_text() == self._init_inputs() and self._providers_found():
            self.log(f"[{self.name}] init: unchanged since the last one")
            return
        self.log(f"[{self.name}] init")
        self._init("-reconfigure", self.backend_config)
        stamp.write_text(self._init_inputs())

    @property
    def _stamp(self) -> Path:
        return self.stack_dir / ".terraform" / INIT_STAMP

    def _init_inputs(self) -> str:
        """What init read, and the backend it recorded: a hand-run init changes the latter."""
        stack = json.loads((self.stack_dir / STACK_FILE).read_text())
        binary = Path(find_terraform(self.env)).stat()
        recorded = self.stack_dir / ".terraform" / "terraform.tfstate"
        digest = hashlib.sha256()
        for part in (
            json.dumps(stack.get("terraform", {}), sort_keys=True),
            self.backend_config,
            (self.lock_root / LOCK_FILE).read_text(),
            f"{binary.st_size} {binary.st_mtime_ns}",
            recorded.read_text() if recorded.is_file() else "",
        ):
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()

    def _providers_found(self) -> bool:
        """Every provider init installed is still there.

        Init links them into the plugin cache, which a user may delete to free its ~700 MB.
        """
        # providers/<host>/<namespace>/<type>/<version>/<platform>: a link, or a folder.
        platforms = list((self.stack_dir / ".terraform" / "providers").glob("*/*/*/*/*"))
        return bool(platforms) and all(platform.exists() for platform in platforms)

    def _init(self, *args: str) -> None:
        self._stamp.unlink(missing_ok=True)
        install_lock(self.lock_root, self.stack_dir)
        self._terraform("init", "-input=false", READ_ONLY, *args)

    def plan(self, *, lock: bool = True) -> tuple[bool, str]:
        """Plan into ./tfplan; return (has changes, plan text).

        `lock=False` reads the state without taking its lock: a read-only role cannot
        write the lock file (a pull request's plan).
        """
        self.log(f"[{self.name}] plan")
        locking = "-lock-timeout=0s" if lock else "-lock=false"
        result = self._terraform(
            "plan", "-input=false", locking, "-detailed-exitcode", "-out=tfplan", check=False
        )
        if result.returncode not in (NO_CHANGES, CHANGES):
            raise OpsError(_failure(self.name, "plan", result.stderr or result.stdout))
        return result.returncode == CHANGES, result.stdout

    def apply(self, imports: Mapping[str, str] | None = None) -> bool:
        """Apply (plan and apply in one run); True if anything changed.

        One `apply -auto-approve` rather than `plan -out` + `apply plan`: each Terraform run
        starts the 700 MB provider three times, about 9 s, and the result is the same.
        `imports`: {resource address: import id} to adopt into the state first.
        """
        self.log(f"[{self.name}] apply")
        override = self.stack_dir / IMPORTS_FILE
        if imports:
            for address, import_id in imports.items():
                self.log(f"[{self.name}] adopting {import_id} as {address}")
            blocks = [{"to": address, "id": import_id} for address, import_id in imports.items()]
            override.write_text(json.dumps({"import": blocks}))
        try:
            result = self._terraform(
                "apply", "-input=false", "-auto-approve", "-lock-timeout=0s", check=False
            )
        finally:
            override.unlink(missing_ok=True)
        if result.returncode != 0:
            raise OpsError(_failure(self.name, "apply", result.stderr or result.stdout))
        summary = _APPLY_SUMMARY.search(result.stdout)
        if summary is None or set(summary.groups()) == {"0"}:
            self.log(f"[{self.name}] no changes")
            return False
        added, changed, destroyed = summary.groups()
        self.log(f"[{self.name}] {added} added, {changed} changed, {destroyed} destroyed")
        return True

    def managed(self) -> set[str]:
        """The addresses in the stack's state (none before its first apply)."""
        result = self._terraform("state", "list", check=False)
        return set(result.stdout.split()) if result.returncode == 0 else set()

    def bootstrap(self, imports: Mapping[str, str] | None = None) -> None:
        """First deploy of the state stack: apply with local state, then migrate it.

        The bucket that holds the state does not exist before this apply creates it, so an
        override file swaps the backend to local for the first step only.
        """
        self.log(f"[{self.name}] bootstrap: the state bucket does not exist yet")
        override = self.stack_dir / BOOTSTRAP_OVERRIDE
        local_state = self.stack_dir / BOOTSTRAP_STATE
        override.write_text(
            json.dumps({"terraform": {"backend": {"local": {"path": BOOTSTRAP_STATE}}}})
        )
        try:
            self.log(f"[{self.name}] init (local state)")
            self._init("-reconfigure")
            self.apply(imports)
        finally:
            override.unlink()
        self.log(f"[{self.name}] moving its state into the new bucket")
        self._init("-migrate-state", "-force-copy", self.backend_config)
        # Now initialized against its backend, as init() leaves a stack.
        self._stamp.write_text(self._init_inputs())
        local_state.unlink(missing_ok=True)
        local_state.with_name(BOOTSTRAP_STATE + ".backup").unlink(missing_ok=True)

    def planned_changes(self) -> list[tuple[str, str]]:
        """(resource address, action) of each change in ./tfplan; never attribute values."""
        plan = json.loads(self._terraform("show", "-json", "tfplan").stdout)
        changes = []
        for change in plan.get("resource_changes", []):
            actions = change["change"]["actions"]
            if actions in (["no-op"], ["read"]):
                continue
            action = "replace" if sorted(actions) == ["create", "delete"] else actions[0]
            changes.append((change["address"], action))
        return changes

    def planned_new_outputs(self) -> list[str]:
        """The outputs ./tfplan creates (a stack reading them cannot plan before they exist)."""
        plan = json.loads(self._terraform("show", "-json", "tfplan").stdout)
        return sorted(
            name
            for name, change in plan.get("output_changes", {}).items()
            if "create" in change.get("actions", [])
        )

    def outputs(self) -> dict[str, str]:
        """The stack's outputs as plain strings."""
        result = self._terraform("output", "-json")
        return {name: str(item["value"]) for name, item in json.loads(result.stdout).items()}


def _failure(stack: str, step: str, text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if any("Error acquiring the state lock" in line for line in lines):
        return (
            f"{stack}: {step} stopped: another deploy holds the state lock; "
            "nothing was changed, try again when it has finished"
        )
    errors = [line.strip("│ ").strip() for line in lines if "Error" in line]
    return f"{stack}: {step} failed: " + (
        "; ".join(errors[:3]) or lines[-1] if lines else "no output"
    )
