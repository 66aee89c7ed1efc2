"""Infrastructure of the Cloud Resume backend: typed config, cdktf constructs and stacks.

Lives under constructs/ but is deliberately not named `constructs`: that name is
the PyPI package cdktf builds on, and this folder has no __init__.py so it can
never shadow it.
"""

from resume.provider_import import import_provider_lazily

# Before any construct module imports a resource binding (see provider_import).
import_provider_lazily()
