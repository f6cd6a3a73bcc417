"""Browser fixtures for the export tests: one headless Chromium per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from slidekit.session import open_theme
from slidekit.deck.load import load_deck
from slidekit.render.html import HtmlOptions, render_html
from slidekit.render.html_images import make_resolver

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    yield ctx
    ctx.close()


@pytest.fixture
def export(tmp_path: Path) -> Callable[..., Path]:
    """Write ``text`` as a deck, export it with render_html, return the HTML path."""
    counter = iter(range(1000))

    def make(text: str, *, theme: str | None = "solarized_dark", allow_html: bool = False,
             transform: Callable[[object], object] | None = None) -> Path:
        n = next(counter)
        deck_path = tmp_path / f"deck{n}.md"
        deck_path.write_text(text, encoding="utf-8")
        deck = load_deck(text, str(deck_path))
        if transform is not None:
            deck = transform(deck)  # type: ignore[assignment]
        theme_obj = open_theme(deck, theme, quiet=True).theme
        result = render_html(deck, theme_obj, HtmlOptions(allow_html=allow_html), make_resolver(tmp_path))
        out = tmp_path / f"deck{n}.html"
        out.write_text(result.html, encoding="utf-8")
        return out

    return make


@pytest.fixture
def open_page(context):  # type: ignore[no-untyped-def]
    """Open an exported file; records console errors, page errors and network requests."""

    def go(path: Path, fragment: str = ""):  # type: ignore[no-untyped-def]
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.requests = []  # type: ignore[attr-defined]
        page.on("console", lambda m: page.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(path.as_uri() + fragment)
        page.wait_for_function("window.slidekit !== undefined")
        return page

    return go
