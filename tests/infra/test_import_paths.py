"""Our constructs/ folder must never shadow the PyPI `constructs` package cdktf imports."""

from __future__ import annotations

import subprocess
import sys

from tests.support.synth import PROJECT_ROOT

PROBE = """
import runpy, sys
sys.argv = ["main.py"]
namespace = runpy.run_path("main.py", run_name="probe")  # what `python main.py` imports
import constructs
print(constructs.__file__)
print(hasattr(constructs, "Construct"))
"""


def test_constructs_resolves_to_the_pypi_package_from_the_project_root() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )

    origin, has_construct = result.stdout.split()
    assert "site-packages" in origin
    assert not origin.startswith(str(PROJECT_ROOT / "constructs"))
    assert has_construct == "True"


def test_our_folder_is_not_a_package() -> None:
    assert not (PROJECT_ROOT / "constructs" / "__init__.py").exists()
