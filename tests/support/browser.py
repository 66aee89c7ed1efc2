"""A person's browser for the end-to-end tests: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from playwright.sync_api import Page

# Without these, Chromium keeps dialling Google's hosts, which this closed network refuses.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
# Headless Chromium says "HeadlessChrome", a bot by the counting rules; a person's Chrome:
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def shown(page: Page, selector: str) -> str:
    """The text of a counter element once the snippet filled it in."""
    element = page.wait_for_selector(f"{selector}[data-state]")
    assert element is not None
    return str(element.inner_text())
