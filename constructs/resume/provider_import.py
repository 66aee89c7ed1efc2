"""Import only the parts of the AWS provider bindings that the stacks use.

`cdktf_cdktf_provider_aws/__init__.py` imports all ~1,500 resource modules, which
costs 20-60 s per process here; the stacks use about twenty. Registering the
package object without running its __init__ lets `from cdktf_cdktf_provider_aws.x
import Y` load just module x (plus the shared jsii assembly). Each resource module
registers its own jsii types, so nothing the stacks use is missing; the synthesized
stacks are checked by `terraform validate` and checkov in tests/infra.

`resume/__init__.py` calls it, so that every importer of a construct (main.py, the tooling,
each pytest worker's collection, a fresh clone's import check) pays ~5 s, not ~16 s. It
loads nothing itself: the first resource module imported loads the shared jsii assembly.
"""

from __future__ import annotations

import importlib.util
import sys
import types

PACKAGE = "cdktf_cdktf_provider_aws"


def import_provider_lazily() -> None:
    """Make later submodule imports skip the package's import-everything __init__."""
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        raise ModuleNotFoundError(f"{PACKAGE} is not installed (see requirements/dev.txt)")
    package = types.ModuleType(PACKAGE)
    package.__spec__ = spec
    package.__file__ = spec.origin
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules[PACKAGE] = package
