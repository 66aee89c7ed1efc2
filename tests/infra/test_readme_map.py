"""The README's map of the code lists every module, by folder, and nothing that is gone.

A folder's line starts with the folder in backticks; the backticked names after it are its
modules (a folder, a file name or a phrase in backticks is prose). The README stays a
newcomer's page: at most 250 lines, the reference in docs/.
"""

from __future__ import annotations

import re

from tests.support.synth import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
MAP_HEADING = "### Map of the code"
# Where our modules live: every folder below them with a .py file is on the map.
SOURCE_FOLDERS = ("function/visitor_counter", "constructs/resume", "constructs/resume_tools")


def map_entries(text: str) -> dict[str, set[str]]:
    """{folder: the names listed for it} from the README's map section."""
    section = text.split(MAP_HEADING, 1)[1].split("\n#", 1)[0]
    entries: dict[str, set[str]] = {}
    for item in re.split(r"\n- ", section)[1:]:
        names = re.findall(r"`([^`]+)`", item)
        if names and names[0].endswith("/"):
            entries[names[0].rstrip("/")] = {n for n in names[1:] if not set(n) & set("/. ")}
    return entries


def modules_by_folder() -> dict[str, set[str]]:
    """{folder: its modules' names}, for every folder of our packages."""
    found: dict[str, set[str]] = {}
    for top in SOURCE_FOLDERS:
        for path in (PROJECT_ROOT / top).rglob("*.py"):
            if path.name != "__init__.py":
                folder = str(path.parent.relative_to(PROJECT_ROOT))
                found.setdefault(folder, set()).add(path.stem)
    return found


def test_every_module_is_on_the_map_and_nothing_else() -> None:
    listed = map_entries(README.read_text())

    for folder, modules in modules_by_folder().items():
        assert folder in listed, f"{folder}/ is not on the README's map"
        assert listed[folder] == modules, f"{folder}/: the map differs from the folder"


def test_every_folder_of_content_and_tests_is_on_the_map() -> None:
    text = README.read_text().split(MAP_HEADING, 1)[1].split("\n## ", 1)[0]

    for parent in ("constructs", "tests"):
        for folder in sorted((PROJECT_ROOT / parent).iterdir()):
            if folder.is_dir() and not folder.name.startswith((".", "__")):
                named = (f"`{parent}/{folder.name}/`", f"`{folder.name}/`")
                assert any(n in text for n in named), f"{parent}/{folder.name}/ is not on the map"


def test_the_map_reader_sees_a_missing_module() -> None:
    text = README.read_text().replace("`routes` (the API's routes), ", "")

    assert "routes" not in map_entries(text)["function/visitor_counter"]


def test_the_readme_is_a_newcomers_page_and_links_every_reference_page() -> None:
    text = README.read_text()

    assert len(text.splitlines()) <= 250
    for page in sorted((PROJECT_ROOT / "docs").glob("*.md")):
        assert f"](docs/{page.name})" in text, f"docs/{page.name} is not linked"
