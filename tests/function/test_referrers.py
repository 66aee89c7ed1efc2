"""A view's referrer source: the host only, "direct" for the site itself, campaigns apart."""

from __future__ import annotations

import pytest

from visitor_counter.referrers import hosts_of, referrer_source

OWN = hosts_of({"https://example.com", "https://www.example.com", "http://127.0.0.1:4601"})


@pytest.mark.parametrize(
    ("referrer", "utm_source", "source"),
    [
        ("https://news.ycombinator.com/item?id=1", "", "news.ycombinator.com"),
        ("https://NEWS.ycombinator.com:443/x", "", "news.ycombinator.com"),
        ("https://www.google.com/", "", "www.google.com"),  # www. kept as is
        ("https://t.co", "", "t.co"),
        ("http://old.example.org/path?q=secret#frag", "", "old.example.org"),
        ("", "", "direct"),
        ("   ", "", "direct"),
        ("https://example.com/blog/", "", "direct"),  # the site itself
        ("https://www.example.com/", "", "direct"),
        ("http://127.0.0.1:4601/posts/hello.html", "", "direct"),
        ("android-app://com.slack/", "", "direct"),
        ("about:blank", "", "direct"),
        ("https://192.0.2.10/", "", "other"),  # an address, not a host name
        ("https://[2001:db8::1]/", "", "other"),
        ("https://exa_mple.com/", "", "other"),
        ("https://" + "a" * 60 + ".com/", "", "a" * 60 + ".com"),  # 64 characters
        ("https://" + "a" * 61 + ".com/", "", "other"),
        ("https://bücher.example/", "", "xn--bcher-kva.example"),
        ("https://news.ycombinator.com/", "Newsletter", "newsletter"),  # the campaign wins
        ("", "mastodon", "mastodon"),
        ("https://t.co/", "direct", "t.co"),  # a campaign may not pose as "direct"
        ("https://t.co/", "<script>", "t.co"),
        ("https://t.co/", "x" * 65, "t.co"),
    ],
)
def test_a_views_source(referrer: str, utm_source: str, source: str) -> None:
    assert referrer_source(referrer, utm_source, OWN) == source


def test_the_sites_own_hosts_come_from_its_origins() -> None:
    assert {"example.com", "www.example.com", "127.0.0.1"} == OWN
