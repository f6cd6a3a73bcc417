"""Sweep: every Pygments lexer × every built-in theme × every colour depth.

Each lexer's snippet (see :mod:`.snippets` for how it is derived) is one slide of
one deck. The terminal renderer renders each slide once per theme and converts it
to every colour depth; the HTML export renders the whole deck once per theme.
No crash, no line wider than the width, the code's text survives in both.
"""

from __future__ import annotations

import re

import pytest

from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.render.html import HtmlOptions, render_html
from slidekit.render.terminal import render_slide_result, to_ansi
from tests.render_sweep.common import DEPTHS, builtin_themes, check_width, fence, html_text
from tests.render_sweep.snippets import lexer_names, snippet

WIDTH = 56
THEMES = builtin_themes()
_PRE = re.compile(r'<pre class="sk-code" data-lang="([^"]*)"[^>]*><code>(.*?)</code></pre>', re.S)


@pytest.fixture(scope="module")
def deck() -> m.Deck:
    text = "\n---\n\n".join(fence(snippet(alias), alias) for alias in lexer_names())
    return load_deck(text, "every-lexer.md")


def test_every_lexer_has_a_slide(deck: m.Deck) -> None:
    names = lexer_names()
    assert len(names) > 500  # Pygments has ~600 lexers; a broken listing would sweep nothing
    langs = [b.lang for s in deck.slides for b in s.blocks if isinstance(b, m.CodeBlock)]
    assert langs == names


@pytest.mark.parametrize("theme_name", sorted(THEMES))
def test_terminal_every_lexer_every_depth(deck: m.Deck, theme_name: str) -> None:
    theme = THEMES[theme_name]
    for slide in deck.slides:
        lang = slide.blocks[0].lang  # type: ignore[attr-defined]
        result = render_slide_result(slide, theme, WIDTH)
        assert not result.fallbacks, f"{lang}: a block fell back to its source: {result.fallbacks}"
        lines = result.lines
        text = "\n".join(line.plain for line in lines)
        first = snippet(lang).split("\n")[0][: WIDTH - 12]
        assert first in text, f"{lang}: code missing from the slide"
        for depth in DEPTHS:
            check_width(lines, to_ansi(lines, depth), WIDTH, f"{lang} / {theme_name} / {depth}")


@pytest.mark.parametrize("theme_name", sorted(THEMES))
def test_html_every_lexer(deck: m.Deck, theme_name: str) -> None:
    html = render_html(deck, THEMES[theme_name], HtmlOptions()).html
    blocks = _PRE.findall(html)
    assert [lang for lang, _ in blocks] == lexer_names()
    for lang, body in blocks:
        assert html_text(body) == snippet(lang).rstrip("\n"), f"{lang}: code text changed in HTML"
        assert "<script" not in body
