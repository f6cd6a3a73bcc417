"""The presenting features of the HTML export in real headless Chromium: columns as a grid, centred
title slides, ``{1|2|all}`` highlight steps forward and back, the ``--duration`` countdown in the speaker
window (colour phases, p pauses, r resets)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from slidekit.deck.load import load_deck
from slidekit.render.html import HtmlOptions, render_html
from slidekit.session import open_theme

pytestmark = pytest.mark.chromium

DECK = """---
author: Ada
---

# Columns

<!-- column_layout: [2, 1] -->
<!-- column: 0 -->

LEFTWORD

<!-- column: 1 -->

RIGHTWORD

---

<!-- title_slide -->

# Centred title

---

# Code

```python {1|2|all}
alpha = 1
beta = 2
```

<!-- no_footer -->

---

# Middle

<!-- alignment: center -->

CENTREDWORD

<!-- jump_to_middle -->

LOWWORD

---

<!-- theme: light -->

# Light slide
"""


def write(tmp_path: Path, duration: float | None = None) -> Path:
    path = tmp_path / "deck.md"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck(DECK, str(path))
    themes = {"light": open_theme(deck, "light", quiet=True).theme}
    html = render_html(deck, open_theme(deck, "dark", quiet=True).theme,
                       HtmlOptions(duration=duration, slide_themes=themes)).html
    out = tmp_path / "deck.html"
    out.write_text(html, encoding="utf-8")
    return out


def until(check, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Poll ``check`` from Python (the page's CSP forbids the eval that wait_for_function polls with)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def box(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return page.evaluate(f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
                         " return {x: r.x, y: r.y, w: r.width, h: r.height}; })()")


def dimmed(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("""[...document.querySelectorAll('section.sk-current .sk-line')]
        .filter(e => e.classList.contains('sk-dim')).map(e => e.textContent.trim())""")


def test_columns_centring_and_highlight_steps(tmp_path: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(write(tmp_path))
    left = page.get_by_text("LEFTWORD").bounding_box()
    right = page.get_by_text("RIGHTWORD").bounding_box()
    assert abs(left["y"] - right["y"]) < 2  # side by side
    grid = box(page, "section.sk-current .sk-cols")
    assert right["x"] - grid["x"] > grid["w"] * 0.6  # the 2:1 split
    page.keyboard.press("ArrowRight")
    title = box(page, "section.sk-current h1")
    body = box(page, "section.sk-current .sk-body")
    assert abs((title["x"] + title["w"] / 2) - (body["x"] + body["w"] / 2)) < 0.05 * body["w"]
    assert abs((title["y"] + title["h"] / 2) - (body["y"] + body["h"] / 2)) < 0.1 * body["h"]
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.slidekit.state()") == {"slide": 3, "step": 0}
    assert dimmed(page) == ["beta = 2"]
    page.keyboard.press("ArrowRight")
    assert dimmed(page) == ["alpha = 1"]
    page.keyboard.press("ArrowRight")
    assert dimmed(page) == []
    page.keyboard.press("ArrowLeft")
    assert dimmed(page) == ["alpha = 1"]
    page.keyboard.press("ArrowLeft")
    assert dimmed(page) == ["beta = 2"]
    opacity = page.evaluate("getComputedStyle(document.querySelector('section.sk-current .sk-line.sk-dim')).opacity")
    assert float(opacity) < 0.5
    assert not page.locator("section.sk-current .sk-footer").is_visible()  # <!-- no_footer -->
    dark = page.evaluate("getComputedStyle(document.querySelector('section.sk-current')).backgroundColor")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # past the two highlight steps: the Middle slide
    body = box(page, "section.sk-current .sk-body")
    low = box(page, "section.sk-current .sk-middle")
    assert abs(low["y"] - (body["y"] + body["h"] / 2)) < 0.05 * body["h"]  # <!-- jump_to_middle -->
    centred = box(page, "section.sk-current .sk-align-center p")
    word = page.evaluate("""(() => { const p = document.querySelector('section.sk-current .sk-align-center p');
        const r = document.createRange(); r.selectNodeContents(p); const b = r.getBoundingClientRect();
        return b.x + b.width / 2; })()""")
    assert abs(word - (centred["x"] + centred["w"] / 2)) < 2  # <!-- alignment: center -->
    page.keyboard.press("End")
    light = page.evaluate("getComputedStyle(document.querySelector('section.sk-current')).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark != light  # <!-- theme: light -->
    assert page.errors == []


def test_countdown_in_the_speaker_window(tmp_path: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(write(tmp_path, duration=301), "?speaker#/1")
    timer = page.locator("#sk-timer")
    until(lambda: timer.inner_text().startswith("05:0"))
    assert timer.get_attribute("data-phase") == "normal"
    until(lambda: timer.get_attribute("data-phase") == "warning")
    assert re.match(r"05:00|04:5\d", timer.inner_text())  # 5 minutes left or less
    assert re.search(r"\d\d:\d\d (ahead|behind)", page.locator("#sk-pace").inner_text())
    page.keyboard.press("p")
    until(lambda: "paused" in page.locator("#sk-pace").inner_text())
    shown = timer.inner_text()
    page.wait_for_timeout(1500)
    assert timer.inner_text() == shown
    page.keyboard.press("r")
    until(lambda: timer.inner_text() == "05:01")
    over = open_page(write(tmp_path, duration=1), "?speaker#/1")
    until(lambda: over.locator("#sk-timer").get_attribute("data-phase") == "over")
    until(lambda: over.locator("#sk-timer").inner_text() == "-00:01")  # counts the overtime
    colour = over.evaluate("getComputedStyle(document.getElementById('sk-timer')).backgroundColor")
    assert colour == "rgb(204, 34, 34)"
    assert page.errors == [] and over.errors == []
