"""The layout's promises: infrastructure never imports tooling, and no module is in an import cycle.

Imports are read from the source (every `import` and `from … import`, including those inside
functions), so a cycle hidden behind a lazy import is found too.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.support.synth import PROJECT_ROOT

# Each source root and the top-level packages it holds.
SOURCE_ROOTS = {
    PROJECT_ROOT / "function": ("visitor_counter",),
    PROJECT_ROOT / "constructs": ("resume", "resume_tools"),
    PROJECT_ROOT: ("tests",),
}
INFRASTRUCTURE = "resume"
TOOLING = "resume_tools"


def project_modules() -> dict[str, Path]:
    """{dotted module name: file} for every module of the project."""
    modules = {}
    for root, packages in SOURCE_ROOTS.items():
        for package in packages:
            for path in sorted((root / package).rglob("*.py")):
                parts = list(path.relative_to(root).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                modules[".".join(parts)] = path
    modules["main"] = PROJECT_ROOT / "main.py"
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports anywhere in its file."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            # `from a import b` imports a, and a.b when b is a module.
            candidates = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {candidate for candidate in candidates if candidate in known}
    return found - {name}


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    modules = project_modules()
    known = set(modules)
    return {name: imported_modules(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or not."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_no_project_module_is_part_of_an_import_cycle() -> None:
    graph = import_graph()

    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert cycles(graph) == [["a", "b", "c"]]


def test_the_infrastructure_and_main_import_no_tooling() -> None:
    graph = import_graph()
    infrastructure = [name for name in graph if name.split(".")[0] == INFRASTRUCTURE]

    imported = set().union(*(reachable(graph, name) for name in [*infrastructure, "main"]))

    assert infrastructure, "found no infrastructure modules"
    assert sorted(name for name in imported if name.split(".")[0] == TOOLING) == []


def test_the_tooling_package_is_seen_by_the_walk() -> None:
    graph = import_graph()

    assert "resume_tools.cli.deploy" in graph
    assert "resume_tools.deploy.deploy" in graph["resume_tools.cli.deploy"]


def test_the_function_imports_nothing_outside_itself_but_the_runtimes_botocore() -> None:
    allowed = {*sys.stdlib_module_names, "__future__", "botocore", "visitor_counter"}
    package = PROJECT_ROOT / "function" / "visitor_counter"

    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
        for path in package.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0)
        for alias in node.names
    }

    assert {name.split(".")[0] for name in imported} - allowed == set()
    assert "visitor_counter" in imported  # the walk saw the package's own imports
