"""Page ids: what normalizes to what, and what is refused with which message."""

from __future__ import annotations

import pytest

from visitor_counter.pages import MAX_PAGE_BYTES, InvalidPage, normalize_page


@pytest.mark.parametrize(
    ("raw", "page"),
    [
        ("%2F", "/"),
        ("%2Fposts%2Fhello", "/posts/hello"),
        ("posts/hello", "/posts/hello"),
        ("%2FBlog%2F%2FPost%2F", "/blog/post"),
        ("%2F.%2Fa%2F.%2Fb", "/a/b"),
        ("https%3A%2F%2FExample.com%2FAbout%2F", "/about"),
        ("http%3A%2F%2Flocalhost%3A4321%2F", "/"),
        ("%2Fcaf%C3%A9", "/café"),
        ("%2Fwith%20space", "/with space"),
    ],
)
def test_page_ids_are_normalized(raw: str, page: str) -> None:
    assert normalize_page(raw) == page


MARKUP = "Page id must not contain '<' (no <, >, quotes or backticks)."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Page id is missing: use /pages/%2F for the site's root page."),
        ("%2Fa%3Fb%3D1", "Page id must be a path without a query string or fragment."),
        ("%2Fa%23top", "Page id must be a path without a query string or fragment."),
        ("%2Fa%0Ab", "Page id holds a non-printable character (U+000A)."),
        ("%2Fa%09b", "Page id holds a non-printable character (U+0009)."),
        ("%2F%E2%80%8B", "Page id holds a non-printable character (U+200B)."),
        ("%2Fa%2F..%2Fb", "Page id must not contain '..' segments."),
        # Nothing that could form markup in a consumer of the top-pages list.
        ("%2F%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", MARKUP),
        ("%2Fa%3Eb", "Page id must not contain '>' (no <, >, quotes or backticks)."),
        ("%2Fa%22b", "Page id must not contain '\"' (no <, >, quotes or backticks)."),
        ("%2Fa'b", 'Page id must not contain "\'" (no <, >, quotes or backticks).'),
        ("%2Fa%60b", "Page id must not contain '`' (no <, >, quotes or backticks)."),
        ("%2F%FF", "Page id is not valid UTF-8 once percent-decoded."),
        ("%2F" + "a" * MAX_PAGE_BYTES, f"Page id is 257 bytes; the limit is {MAX_PAGE_BYTES}."),
        ("a" * 3 * MAX_PAGE_BYTES + "a", f"Page id is longer than {MAX_PAGE_BYTES} bytes."),
    ],
)
def test_bad_page_ids_are_refused_with_the_reason(raw: str, message: str) -> None:
    with pytest.raises(InvalidPage) as refused:
        normalize_page(raw)

    assert str(refused.value) == message


def test_the_limit_counts_bytes_not_characters() -> None:
    # 128 two-byte characters after the slash: 129 characters, 257 bytes.
    with pytest.raises(InvalidPage, match="Page id is 257 bytes"):
        normalize_page("/" + "é" * 128)
    assert len(normalize_page("%2F" + "%C3%A9" * 127).encode()) == 255
