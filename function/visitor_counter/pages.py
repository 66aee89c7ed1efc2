"""Page ids: the normalized URL path a page is counted under."""

from __future__ import annotations

from typing import Final
from urllib.parse import unquote, urlsplit

MAX_PAGE_BYTES: Final = 256
# Characters that could form HTML markup or break out of an attribute in any consumer of
# the top-pages list (counter.js writes textContent; other clients may not).
MARKUP_CHARACTERS: Final = frozenset("<>\"'`")
INDEX_PAGE: Final = "index.html"


class InvalidPage(ValueError):
    """The page id cannot be counted; the message says why, for the client."""


def normalize_page(raw: str) -> str:
    """The page id for `raw` (percent-encoded, as it appears in the request path).

    Lower-cased, host-independent (a full http(s) URL keeps only its path), one slash
    between segments, no "." segments and no trailing slash: "/Blog//Post/" -> "/blog/post".
    A folder's index page is the folder: "/blog/index.html" -> "/blog", as a static site's
    pretty URLs link it.
    """
    if len(raw) > 3 * MAX_PAGE_BYTES:  # every byte percent-encoded is 3 characters
        raise InvalidPage(f"Page id is longer than {MAX_PAGE_BYTES} bytes.")
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise InvalidPage("Page id is not valid UTF-8 once percent-decoded.") from None
    if not decoded:
        raise InvalidPage("Page id is missing: use /pages/%2F for the site's root page.")
    unprintable = next((char for char in decoded if not char.isprintable()), None)
    if unprintable is not None:
        raise InvalidPage(f"Page id holds a non-printable character (U+{ord(unprintable):04X}).")
    markup = next((char for char in decoded if char in MARKUP_CHARACTERS), None)
    if markup is not None:
        raise InvalidPage(f"Page id must not contain {markup!r} (no <, >, quotes or backticks).")
    parts = urlsplit(decoded)
    if parts.scheme in ("http", "https") and parts.netloc:
        decoded = decoded[len(f"{parts.scheme}://{parts.netloc}") :]
    if "?" in decoded or "#" in decoded:
        raise InvalidPage("Page id must be a path without a query string or fragment.")
    segments = [segment for segment in decoded.lower().split("/") if segment not in ("", ".")]
    if ".." in segments:
        raise InvalidPage("Page id must not contain '..' segments.")
    if segments and segments[-1] == INDEX_PAGE:
        segments.pop()
    page = "/" + "/".join(segments)
    size = len(page.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        raise InvalidPage(f"Page id is {size} bytes; the limit is {MAX_PAGE_BYTES}.")
    return page
