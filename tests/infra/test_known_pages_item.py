"""The deploy's known-pages item: the site's pages and the configured globs, one per line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resume.config import AppConfig, ConfigError, load_config
from resume.known_pages_item import known_pages_item
from resume.site_pages import site_link_targets, site_page_ids
from tests.support.sites import write_site
from tests.support.synth import Synthesized, only


def test_the_demo_sites_pages_are_listed(production: Synthesized) -> None:
    item = only(production["backend"], "aws_dynamodb_table_item")

    assert json.loads(item["item"]) == {
        "ID": {"S": "blog#known-pages"},
        "pages": {"S": "/\n/posts/hello\n/posts/hello.html"},
        "patterns": {"S": ""},
        # Where its pages link: its CV, and the other site (events' targets by name).
        "targets": {"S": "/files/cv.pdf\ngithub.com"},
    }
    assert item["hash_key"] == "ID"
    assert item["table_name"].startswith("${aws_dynamodb_table.table_")


def test_a_generators_pretty_urls_become_folder_ids(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        ["index.html", "blog/index.html", "blog/first-post/index.html", "about/index.html",
         "posts/Hello.html", "404.html", "404/index.html", "_astro/app.4f2a1c.js"],
    )  # fmt: skip

    assert site_page_ids(site) == [
        "/", "/about", "/blog", "/blog/first-post", "/posts/hello", "/posts/hello.html",
    ]  # fmt: skip


def test_a_file_name_with_markup_is_refused(tmp_path: Path) -> None:
    write_site(tmp_path, ["<b>.html"])

    with pytest.raises(ConfigError, match=r"site_dir: <b>.html cannot be counted as a page"):
        site_page_ids(tmp_path)


def test_a_missing_site_has_no_pages(tmp_path: Path) -> None:
    assert site_page_ids(tmp_path / "nowhere") == []


def test_patterns_come_from_config() -> None:
    config = load_config({"RESUME_PAGE_PATTERNS": "/posts/*,/docs/**"})

    assert config.page_patterns == ("/posts/*", "/docs/**")
    item = json.loads(known_pages_item("blog", ["/"], config.page_patterns))
    assert item["patterns"] == {"S": "/posts/*\n/docs/**"}


def test_a_bad_pattern_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"page_patterns: 'posts' is not a page pattern"):
        AppConfig(page_patterns=("posts",))


def test_a_list_too_long_for_one_item_says_what_to_do() -> None:
    pages = [f"/posts/{'x' * 200}-{number}" for number in range(2000)]

    with pytest.raises(ConfigError, match=r"2000 pages.*page_patterns"):
        known_pages_item("blog", pages, [])


def test_a_sites_link_targets_are_its_files_and_other_sites_hosts(tmp_path: Path) -> None:
    """As counter.js names them: a file by its path, another site by its host only."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "index.html").write_text(
        '<link href="/styles.css" rel="stylesheet"><a href="files/CV 2026.pdf">cv</a>'
        "<a href='https://GitHub.com/octo/site?tab=1'>src</a> <a href=\"/posts/\">posts</a>"
        '<a href="mailto:me@example.com">mail</a><a href="#top">top</a>'
        '<a class="x" href="http://example.org:8080/a.zip">zip</a>'
        '<a href="https://bücher.example/">books</a><a href="/about.html">about</a>'
        '<a href="https://1.2.3.4/x.pdf">an address</a><a href="/a|b.pdf">bad</a>'
    )
    (tmp_path / "posts" / "hello.html").write_text('<a href="../files/notes.txt">notes</a>')

    assert site_link_targets(tmp_path) == [
        "/files/CV%202026.pdf", "/files/notes.txt", "example.org:8080", "github.com",
        "xn--bcher-kva.example",
    ]  # fmt: skip
