"""Property: decks drawn from every block kind, with code in random Pygments languages,
themed by random glamour-schema themes (slidekit's palette extension included), render
at every colour depth without a crash and within the width, in the terminal and in HTML."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pygments.styles import get_all_styles

from slidekit.deck.load import load_deck
from slidekit.errors import DeckError
from slidekit.render.html import HtmlOptions, render_html
from slidekit.render.terminal import render_footer, render_slide_result, to_ansi
from slidekit.theme.schema import _BOOLS, _UINTS, CHROMA_KEYS, ELEMENTS, PALETTE_KEY, PRIMITIVE, parse_theme
from tests.render_sweep.common import DEPTHS, check_width
from tests.render_sweep.snippets import lexer_names

LANGS = lexer_names()
WORDS = st.sampled_from(["alpha", "beta", "漢字", "🐳", "x" * 25, "a_b", "**bold**", "*em*", "`code`",
                         "~~gone~~", "[link](http://example.com)", "![img](x.png)", "<b>raw</b>", "&amp;"])
TEXT = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
CODE = st.lists(st.text(alphabet="abc(){}[]<>=;:'\"#/*-+ \t\\$@%漢", max_size=30), min_size=1, max_size=5)


def _fence(lang: str, lines: list[str]) -> str:
    return f"```{lang}\n" + "\n".join(lines) + "\n```"


BLOCKS = st.one_of(
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 6), TEXT),
    TEXT,
    st.builds(lambda items: "\n".join(f"- {t}" for t in items), st.lists(TEXT, min_size=1, max_size=4)),
    st.builds(lambda items, start: "\n".join(f"{start + i}. {t}" for i, t in enumerate(items)),
              st.lists(TEXT, min_size=1, max_size=12), st.integers(0, 998)),
    st.builds(lambda items: "\n".join(f"- [{'x' if i % 2 else ' '}] {t}" for i, t in enumerate(items)),
              st.lists(TEXT, min_size=1, max_size=3)),
    st.builds(lambda t: "> " + t + "\n>\n> - nested " + t, TEXT),
    st.builds(lambda a, b: f"| {a} | {b} |\n|:---|---:|\n| {b} | {a} |", TEXT, TEXT),
    st.builds(_fence, st.sampled_from(LANGS), CODE),
    st.builds(lambda body: "~~~cat\n" + body + "\n~~~", TEXT),
    st.builds(lambda t: f"<div>\n{t}\n</div>", TEXT),
    st.just("***"),
    st.just("<!-- pause -->"),
    st.builds(lambda t: f"<!-- speaker_note: {t} -->", TEXT),
)
DECKS = st.lists(st.lists(BLOCKS, min_size=1, max_size=5).map("\n\n".join), min_size=1, max_size=3).map(
    "\n\n---\n\n".join)

COLOURS = st.one_of(
    st.integers(0, 255).map(str),
    st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}"),
    st.integers(0, 0xFFF).map(lambda n: f"#{n:03x}"),
    st.sampled_from(["red", "not-a-colour", ""]),
)
SHORT = st.text(alphabet="ab •│─{}.\n", max_size=4) | st.just("{{ .text }}")


def _value(key: str) -> st.SearchStrategy[object]:
    if key in _BOOLS:
        return st.booleans()
    if key in _UINTS:
        return st.integers(0, 4)
    if key in ("color", "background_color"):
        return COLOURS
    if key == "theme":
        return st.sampled_from(sorted(get_all_styles()) + ["no-such-style"])
    if key == "chroma":
        return st.dictionaries(st.sampled_from(CHROMA_KEYS), _style(PRIMITIVE), max_size=8)
    return SHORT


def _style(allowed: frozenset[str]) -> st.SearchStrategy[dict[str, object]]:
    keys = sorted(allowed)
    return st.lists(st.sampled_from(keys), max_size=6, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({key: _value(key) for key in chosen}))


PALETTE = st.dictionaries(st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}"),
                          st.fixed_dictionaries({"256": st.integers(0, 255), "16": st.integers(0, 15)}), max_size=4)
THEMES = st.lists(st.sampled_from(sorted(ELEMENTS)), max_size=10, unique=True).flatmap(
    lambda chosen: st.fixed_dictionaries({name: _style(ELEMENTS[name]) for name in chosen})
).flatmap(lambda data: st.builds(lambda palette: {**data, PALETTE_KEY: palette}, PALETTE))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=DECKS, data=THEMES, width=st.integers(min_value=1, max_value=100), depth=st.sampled_from(DEPTHS))
def test_any_deck_any_theme_any_depth(text: str, data: dict[str, object], width: int, depth: str | None) -> None:
    theme, _ = parse_theme(data, "random-theme")
    try:
        deck = load_deck(text, "prop.md")
    except DeckError:
        return
    for slide in deck.slides:
        for step in (None, *range(slide.steps)):
            result = render_slide_result(slide, theme, width, step=step)
            assert not result.fallbacks, result.fallbacks  # no block renderer raised
            lines = list(result.lines)
            lines.append(render_footer(deck, slide.index, width, theme, extra="↓ more (3/9) J/K scroll"))
            check_width(lines, to_ansi(lines, depth, theme.palette), width, f"width {width} depth {depth}")
    render_html(deck, theme, HtmlOptions())
