"""The Lambda zip: reproducible, runtime code only, rebuilt exactly when its inputs change."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from resume_tools.artifacts.package import FIXED_DATE_TIME, build
from tests.support.synth import PROJECT_ROOT


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(PROJECT_ROOT / "function", tmp_path / "a" / "function.zip")
    second = build(PROJECT_ROOT / "function", tmp_path / "b" / "function.zip")

    assert first.sha256 == second.sha256
    assert first.path.read_bytes() == second.path.read_bytes()


def test_zip_holds_only_runtime_code_with_fixed_metadata(tmp_path: Path) -> None:
    function_dir = tmp_path / "function"
    shutil.copytree(PROJECT_ROOT / "function", function_dir)
    (function_dir / "visitor_counter" / "__pycache__").mkdir(exist_ok=True)
    (function_dir / "visitor_counter" / "__pycache__" / "api.cpython-313.pyc").write_bytes(b"x")

    package = build(function_dir, tmp_path / "function.zip")

    with zipfile.ZipFile(package.path) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert "visitor_counter/handler.py" in names
    # The bot rules, generated from the crawler list; the list's package itself stays out.
    assert "visitor_counter/crawler_patterns.json" in names
    assert not any(n.startswith("crawleruseragents") for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") or "test" in n for n in names)
    assert {info.date_time for info in infos} == {FIXED_DATE_TIME}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_a_build_generates_the_bot_rules_the_sources_lack(tmp_path: Path) -> None:
    function_dir = tmp_path / "function"
    shutil.copytree(
        PROJECT_ROOT / "function",
        function_dir,
        ignore=shutil.ignore_patterns("crawler_patterns.json"),
    )

    package = build(function_dir, tmp_path / "function.zip")

    with zipfile.ZipFile(package.path) as archive:
        shipped = archive.read("visitor_counter/crawler_patterns.json")
    assert shipped == (PROJECT_ROOT / "function/visitor_counter/crawler_patterns.json").read_bytes()


def test_unchanged_inputs_reuse_the_zip_and_a_change_rebuilds(tmp_path: Path) -> None:
    function_dir = tmp_path / "function"
    shutil.copytree(PROJECT_ROOT / "function", function_dir)
    out = tmp_path / "function.zip"
    first = build(function_dir, out)

    again = build(function_dir, out)
    (function_dir / "visitor_counter" / "api.py").write_text("# changed\n", encoding="utf-8")
    changed = build(function_dir, out)

    assert (first.reused, again.reused, changed.reused) == (False, True, False)
    assert changed.sha256 != first.sha256
