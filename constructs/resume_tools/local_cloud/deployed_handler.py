"""Run the packaged Lambda in this process, from the zip itself, as Lambda would."""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import threading
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from resume.runtime import HANDLER, zip_sha256_base64
from resume_tools.artifacts.package import Package
from resume_tools.errors import OpsError
from resume_tools.local_cloud.gateway import Handler


class DeployedFunction:
    """The deployed function's handler, started again whenever its code or environment changes.

    Lambda starts new execution environments once a function is updated, so a container's
    state (its caches, the daily ceiling it has seen) does not outlive a deploy. A thread
    reads the deployed configuration every `recheck_s`; requests never wait on it (nor on
    moto, which a test may pause to stall the store).
    """

    def __init__(
        self,
        lambda_client: Any,
        function_name: str,
        package: Package,
        workdir: Path,
        env: Mapping[str, str],
        recheck_s: float = 1.0,
    ) -> None:
        self._lambda = lambda_client
        self._name = function_name
        self._package = package
        self._workdir = workdir
        self._env = dict(env)
        self._deployed: tuple[str, tuple[tuple[str, str], ...]] | None = None
        self._applied: set[str] = set()
        self._failure: str | None = None
        self._handler: Handler = self._load()  # a deploy that cannot run fails here, loudly
        self._stopped = threading.Event()
        self._watcher = threading.Thread(target=self._watch, args=(recheck_s,), daemon=True)
        self._watcher.start()

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """Invoke the handler of the function as deployed now.

        While the deployed function cannot be loaded (a code or environment it cannot
        start with), every invocation fails, as Lambda's would: the gateway answers 500.
        """
        if self._failure is not None:
            raise RuntimeError(self._failure)
        return self._handler(event, context)

    def close(self) -> None:
        """Stop watching the deployed function."""
        self._stopped.set()
        self._watcher.join(timeout=5)

    def _watch(self, recheck_s: float) -> None:
        while not self._stopped.wait(recheck_s):
            try:
                self._handler = self._load()
                self._failure = None
            except (BotoCoreError, ClientError):
                continue  # moto paused by a test, or busy: the deployed function is unchanged
            except Exception as exc:  # noqa: BLE001 - any start-up failure of the new code
                self._failure = f"{self._name} cannot start as deployed: {exc}"
                print(f"local cloud: {self._failure}", file=sys.stderr, flush=True)

    def _load(self) -> Handler:
        configuration = self._lambda.get_function_configuration(FunctionName=self._name)
        variables = configuration.get("Environment", {}).get("Variables", {})
        deployed = (configuration["CodeSha256"], tuple(sorted(variables.items())))
        if deployed == self._deployed:
            return self._handler
        # The package's zip as it is now: a deploy rebuilds it in place.
        expected = zip_sha256_base64(self._package.path)
        if deployed[0] != expected:
            raise OpsError(
                f"{self._name} runs code {deployed[0]}, not {self._package.path} "
                f"({expected}): deploy again"
            )
        digest = hashlib.sha256(self._package.path.read_bytes()).hexdigest()
        # The function's variables replace the last ones: a variable a deploy removed is gone.
        for name in self._applied:
            os.environ.pop(name, None)
        handler = load_handler(
            self._package.path, digest, self._workdir, {**self._env, **variables}
        )
        self._applied = set(variables)
        self._deployed = deployed
        return handler


def load_handler(zip_path: Path, sha256: str, workdir: Path, env: Mapping[str, str]) -> Handler:
    """Unpack the zip, set the function's environment, import its handler from the zip."""
    code_dir = workdir / sha256[:16]
    if not code_dir.is_dir():
        partial = code_dir.with_suffix(".partial")
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(partial)
        partial.rename(code_dir)
    os.environ.update(env)
    module_name, function_name = HANDLER.rsplit(".", 1)
    package = module_name.split(".", 1)[0]
    # The source tree may be importable too: make sure the zip's code is what runs.
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(code_dir))
    module = importlib.import_module(module_name)
    if not str(module.__file__).startswith(str(code_dir)):
        raise RuntimeError(f"{module_name} was imported from {module.__file__}, not the zip")
    handler: Handler = getattr(module, function_name)
    return handler
