"""The page ids of a built static site: what the deploy lets the counter count.

Kept apart from the constructs (no cdktf import), so the synth cache can hash the list cheaply.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from resume.config import ConfigError
from visitor_counter import schema
from visitor_counter.pages import InvalidPage, normalize_page

# Error pages are served for missing paths: counting their file name would count nothing real.
# The first one found is the site's (Hugo and Jekyll write 404.html; Astro and Eleventy
# may write either).
ERROR_PAGES = ("404.html", "404/index.html")


def site_page_ids(site_dir: Path) -> list[str]:
    """The page id of every HTML file under `site_dir`, sorted; a folder's index.html is the folder.

    "index.html" -> "/", "blog/index.html" -> "/blog"; "posts/hello.html" -> both
    "/posts/hello.html" and "/posts/hello" (a flat build links its pages without ".html").
    """
    if not site_dir.is_dir():
        return []
    pages = set()
    for path in site_dir.rglob("*.html"):
        relative = path.relative_to(site_dir).as_posix()
        if relative in ERROR_PAGES or not path.is_file():
            continue
        try:
            page = normalize_page("/" + relative)
            pages.add(page)
            if page.endswith(".html"):
                pages.add(normalize_page("/" + relative.removesuffix(".html")))
        except InvalidPage as exc:
            raise ConfigError(f"site_dir: {relative} cannot be counted as a page: {exc}") from None
    return sorted(pages)


# An element's data-event attribute in a page's HTML (counter.js counts its clicks).
_DATA_EVENT = re.compile(r"""\bdata-event\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def site_event_names(site_dir: Path) -> list[str]:
    """The event names the site's pages name in data-event attributes, sorted.

    The deploy counts them as the site's own (never refused by the day's cap of made-up
    names); a name that could not be counted is a ConfigError naming the file.
    """
    if not site_dir.is_dir():
        return []
    names = set()
    for path in site_dir.rglob("*.html"):
        if not path.is_file():
            continue
        for match in _DATA_EVENT.finditer(path.read_text(encoding="utf-8", errors="replace")):
            name = match.group(1) if match.group(1) is not None else match.group(2)
            if not schema.EVENT_NAME.fullmatch(name):
                relative = path.relative_to(site_dir).as_posix()
                raise ConfigError(
                    f"site_dir: {relative} has data-event={name[:40]!r}, not an event name "
                    "(1 to 40 lower-case letters, digits, '.', '_' or '-')"
                )
            names.add(name)
    return sorted(names)


# A link's href in a page's HTML (counter.js counts clicks on downloads and other sites):
# an <a> or <area> element's (a stylesheet's <link href> is no click).
_HREF = re.compile(r"""<(?:a|area)\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# A page's own kinds: a link to one is a page, not a file a visitor downloads.
_PAGE_EXTENSIONS = frozenset({"html", "htm", "php", "xml"})
# The most targets the list holds (the known-pages item stays small; the rest are "other").
MAX_SITE_TARGETS = 200


def site_link_targets(site_dir: Path) -> list[str]:
    """Where the site's pages link, as counter.js names an event's target, sorted.

    Its files by path ("/files/cv.pdf": a link whose last segment has an extension other
    than a page's), other sites by host ("github.com"). Only these count by name: a target
    no page links to may be anything a visitor made up, and counts as "other". At most
    MAX_SITE_TARGETS, the first in order.
    """
    if not site_dir.is_dir():
        return []
    found: set[str] = set()
    for path in site_dir.rglob("*.html"):
        if not path.is_file():
            continue
        base = "/" + path.relative_to(site_dir).as_posix()
        for match in _HREF.finditer(path.read_text(encoding="utf-8", errors="replace")):
            target = _link_target(base, html.unescape(match.group(1) or match.group(2) or ""))
            if target and schema.valid_event_target(target):
                found.add(target)
    return sorted(found)[:MAX_SITE_TARGETS]


def _link_target(page: str, href: str) -> str | None:
    """A link's target as the browser's counter names it, or None (a page, a mail link…)."""
    try:
        parts = urlsplit(urljoin(page, href.strip()))
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.hostname:
        try:  # as a browser names it: lower case, an international name in its ASCII form
            host, port = parts.hostname.encode("idna").decode("ascii"), parts.port
        except (UnicodeError, ValueError):
            return None
        default = {"http": 80, "https": 443}[parts.scheme]
        return host + (f":{port}" if port is not None and port != default else "")
    if parts.scheme or parts.netloc:
        return None
    name = parts.path.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""
    if not extension or extension in _PAGE_EXTENSIONS:
        return None
    return _as_browsers_path(parts.path)


def _as_browsers_path(path: str) -> str:
    """`path` as a browser's URL.pathname has it.

    WHATWG URL's path percent-encode set: controls, space, '"', '#', '<', '>', '?', '`',
    '{', '}' and non-ASCII; '%' is kept as it is.
    """
    return "".join(
        char if " " < char < "\x7f" and char not in '"#<>?`{}' else quote(char, safe="")
        for char in path
    )


def site_error_page(site_dir: Path) -> str:
    """The key (with a leading slash) of the site's 404 page; /404.html when it has none."""
    found = next((name for name in ERROR_PAGES if (site_dir / name).is_file()), ERROR_PAGES[0])
    return "/" + found


def extensionless_style(site_dir: Path) -> str:
    """Where the site's extension-less URIs live: "index" or "html".

    "index": `/x` is x/index.html, the generators' default. "html": `/x` is x.html, for a
    build with flat pages and no folder pages, as Next's default static export and Astro's
    build.format "file" write.
    """
    if not site_dir.is_dir():
        return "index"
    pages = [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")]
    pages = [page for page in pages if page not in ERROR_PAGES]
    folder_pages = [page for page in pages if page.endswith("/index.html")]
    flat_pages = [page for page in pages if not page.endswith("index.html")]
    return "html" if flat_pages and not folder_pages else "index"
