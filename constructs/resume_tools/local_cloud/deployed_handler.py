"""Run the packaged Lambda in this process, from the zip itself, as Lambda would."""

from __future__ import annotations

import importlib
import os
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from resume.runtime import HANDLER, zip_sha256_base64
from resume_tools.artifacts.package import Package
from resume_tools.errors import OpsError
from resume_tools.local_cloud.gateway import Handler


def deployed_handler(
    lambda_client: Any, function_name: str, package: Package, workdir: Path, env: Mapping[str, str]
) -> Handler:
    """The handler of the function as deployed: its code hash checked, its environment used."""
    configuration = lambda_client.get_function_configuration(FunctionName=function_name)
    expected = zip_sha256_base64(package.path)
    if configuration["CodeSha256"] != expected:
        raise OpsError(
            f"{function_name} runs code {configuration['CodeSha256']}, not {package.path} "
            f"({expected}): deploy again"
        )
    variables = configuration.get("Environment", {}).get("Variables", {})
    return load_handler(package.path, package.sha256, workdir, {**env, **variables})


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
