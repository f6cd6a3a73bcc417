"""Regression tests for issue 11's visual faults: pre-processing captions stay off the
slide (notes view, key i), ctrl+e output is a themed block inside the slide, the footer
keeps the slide number at any width, the whole screen is in the document background."""

from __future__ import annotations

import dataclasses
import re

from rich.text import Text

from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.present.app import Options, Presenter
from slidekit.present.notes import NotesView, notes_frame
from slidekit.present.state import handle
from slidekit.render.footer import render_footer
from slidekit.render.html import HtmlOptions, render_html
from slidekit.render.terminal import plain_lines, render_slide, to_ansi
from slidekit.theme.load import load_theme

CAPTION = "cached output (this deck does not run commands)"
DECK = """---
author: Ada Lovelace-Byron of the Analytical Engine
date: MMMM dd, YYYY
---

# Diagram

~~~graph-easy --as=boxart
[ a ] -> [ b ]
~~~

---

# Two
"""


class FakeScreen:
    resized = False

    def __init__(self, width: int = 60, height: int = 16) -> None:
        self.width, self.height = width, height

    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def draw(self, rows: list[str]) -> None:
        self.rows = rows

    def wake(self) -> None:
        pass


def cached_deck() -> m.Deck:
    """The deck as pre-processing leaves an untrusted deck with a cached output."""
    deck = load_deck(DECK, "talk.md")
    first = deck.slides[0]
    blocks = tuple(
        dataclasses.replace(b, output="┌───┐\n│ a │\n└───┘\n", notice=CAPTION) if isinstance(b, m.CommandBlock) else b
        for b in first.blocks
    )
    return dataclasses.replace(deck, slides=(dataclasses.replace(first, blocks=blocks), *deck.slides[1:]))


def presenter(deck: m.Deck, theme: str = "solarized_dark", width: int = 60) -> Presenter:
    return Presenter(Options("talk.md"), deck, load_theme(theme, env={}), FakeScreen(width))  # type: ignore[arg-type]


def screen_text(rows: list[Text | str]) -> str:
    return "\n".join(r.plain if isinstance(r, Text) else re.sub(r"\x1b\[[0-9;]*m", "", r) for r in rows)


def test_captions_are_not_on_the_slide_but_in_notes_and_on_key_i() -> None:
    deck = cached_deck()
    theme = load_theme("dark", env={}).theme
    slide_text = "\n".join(plain_lines(render_slide(deck.slides[0], theme, 60)))
    assert "│ a │" in slide_text and CAPTION not in slide_text
    html = render_html(deck, theme, HtmlOptions()).html
    assert "│ a │" in html and CAPTION not in html
    notes = " ".join(" ".join(line.plain for line in notes_frame(NotesView(deck, None, 0.0), 60, 20)).split())
    assert f"pre-processing: line 8: {CAPTION}" in notes
    talk = presenter(deck)
    assert CAPTION not in screen_text(talk.frame())
    talk.state, _ = handle(talk.state, "i", talk.view)
    status = screen_text(talk.frame())
    assert f"line 8: {CAPTION}" in status
    talk.state = dataclasses.replace(talk.state, index=1, message="")
    talk.state, _ = handle(talk.state, "i", talk.view)
    assert "no pre-processing notes on this slide" in screen_text(talk.frame())


def test_ctrl_e_output_is_a_themed_code_block_inside_the_slide() -> None:
    talk = presenter(load_deck(DECK, "talk.md"))
    talk.extra_slide = 0
    talk.extra_lines = [Text(""), Text("▶ python: exit status 0 (0.01s)", style="bold green"),
                        Text("hello from the code " * 5)]
    rows = talk.frame()
    lines = [r for r in rows if isinstance(r, Text) and "exit status 0" in r.plain]
    assert lines, screen_text(rows)
    line = lines[0]
    margin = len(line.plain) - len(line.plain.lstrip(" "))
    assert margin >= 2  # inside the document's margin, not flush left
    # exactly as the same text in a code block on this slide renders (the theme's code colours)
    as_code = render_slide(load_deck("```\n▶ python: exit status 0 (0.01s)\n```\n", "x.md").slides[0],
                           talk.theme.theme, 60)
    expected = next(row for row in as_code if "exit status 0" in row.plain)
    assert to_ansi([line], "truecolor") == to_ansi([expected], "truecolor")
    assert all(isinstance(r, str) or r.cell_len <= 60 for r in rows)


def test_footer_keeps_the_slide_number_at_any_width() -> None:
    deck = load_deck(DECK.replace("---\n\n# Two", "\n".join(f"---\n\n# S{n}" for n in range(12))), "talk.md")
    theme = load_theme("solarized_dark", env={}).theme
    paging = f"Slide {len(deck.slides)} / {len(deck.slides)}"
    extra = "docker: built ✓  → cut: needs 97 cols  ↓ more (19/27) J/K scroll"
    for width in (120, 80, 60, 40, 30, 24, 18):
        for indicators in ("", extra):
            line = render_footer(deck, len(deck.slides) - 1, width, theme, extra=indicators)
            assert line.cell_len <= width
            assert line.plain.rstrip().endswith(paging), (width, line.plain)
    at_40 = render_footer(deck, len(deck.slides) - 1, 40, theme, extra=extra).plain
    assert "…" in at_40  # shortened, not cut off mid-way


def test_the_whole_screen_is_in_the_document_background() -> None:
    talk = presenter(load_deck(DECK, "talk.md"))
    talk.color_system = "truecolor"
    talk.state = dataclasses.replace(talk.state, index=1)  # a short slide: blank rows above the footer
    rows = talk.frame()
    assert len(rows) == 16
    ansi = [r if isinstance(r, str) else to_ansi([r], "truecolor") for r in rows]
    for number, row in enumerate(ansi, start=1):
        visible = re.sub(r"\x1b\[[0-9;]*m", "", row)
        assert len(visible) == 60, f"row {number} is {len(visible)} cells"
        assert row.startswith("\x1b[") and "48;2;0;43;54" in row, f"row {number} not on base03: {row!r}"
