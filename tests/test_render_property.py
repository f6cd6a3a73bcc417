"""Property: arbitrary Markdown-ish text never crashes loading or rendering,
and no rendered line is ever wider than the width asked for."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slidekit.deck.load import load_deck
from slidekit.errors import DeckError
from slidekit.render.terminal import render_footer, render_slide, render_slide_result, to_ansi
from slidekit.theme.load import load_theme

THEMES = [load_theme(name, env={}).theme for name in ("solarized_dark", "ascii", "light")]

TOKENS = st.sampled_from([
    "#", "# ", "## ", "-", "- ", "* ", "*", "`", "```", "~~~", "|", "| a | b |\n|---|---|\n", ">", "> ",
    "[", "]", "(", ")", "\n", "\n\n", "---", "\n---\n", "--- ", "1. ", "- [x] ", "    ", "\t",
    "<!-- pause -->", "<!-- speaker_note: n -->", "<div>", "![a](b)", "[l](http://x)", "**", "_",
    "```dockerfile\nFROM x\n", "~~~cat\n", "漢字", "テキスト", "🐳", "👩‍💻", "é", "a", "word ", "x" * 30,
    "\u200b", "\r\n", "\ufeff",
])
MARKDOWN = st.lists(st.one_of(TOKENS, st.text(alphabet="#-*`~|>[]() \nab漢🐳", max_size=8)),
                    max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MARKDOWN, width=st.integers(min_value=1, max_value=90), theme=st.sampled_from(THEMES))
def test_any_markdown_renders_within_width(text: str, width: int, theme) -> None:  # type: ignore[no-untyped-def]
    try:
        deck = load_deck(text, "prop.md")
    except DeckError:
        return  # unclosed fences and empty decks are reported, not crashes
    for slide in deck.slides:
        for step in (None, *range(slide.steps)):
            result = render_slide_result(slide, theme, width, step=step)
            assert result.fallbacks == ()  # no block renderer raised
            lines = result.lines
            for line in lines:
                assert "\n" not in line.plain
                assert line.cell_len <= width, (width, line.plain)
        footer = render_footer(deck, slide.index, width, theme)
        assert footer.cell_len <= width
    to_ansi(render_slide(deck.slides[0], theme, width), "256")
