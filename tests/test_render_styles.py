"""Styles of rendered lines, checked separately from the golden plain text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from rich.console import Console
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.render.terminal import (
    detect_color_system,
    render_markdown,
    plain_lines,
    render_footer,
    render_slide,
    to_ansi,
)
from slidekit.source import Span
from slidekit.theme.load import load_theme
from slidekit.theme.schema import Theme, parse_theme

CONSOLE = Console()
SOLARIZED = load_theme("solarized_dark", env={}).theme


def style_at(lines: list[Text], needle: str) -> RichStyle:
    """The effective style of the first character of ``needle`` in the rendered lines."""
    for line in lines:
        index = line.plain.find(needle)
        if index >= 0:
            return line.get_style_at_offset(CONSOLE, index)
    raise AssertionError(f"{needle!r} not rendered")


def hexcolor(style: RichStyle, bg: bool = False) -> str:
    color = style.bgcolor if bg else style.color
    assert color is not None
    return color.get_truecolor().hex


def slide(text: str, index: int = 0) -> m.Slide:
    return load_deck(text, "t.md").slides[index]


def theme_of(data: dict[str, object]) -> Theme:
    theme, warnings = parse_theme(data, "test")
    assert warnings == []
    return theme


def test_heading_colour_is_solarized_hex() -> None:
    lines = render_slide(slide("# Title\n\n## Sub heading\n"), SOLARIZED, 60)
    h1 = style_at(lines, "Title")
    assert hexcolor(h1) == "#002b36" and hexcolor(h1, bg=True) == "#b58900" and h1.bold
    h2 = style_at(lines, "Sub heading")
    assert hexcolor(h2) == "#268bd2" and h2.bold
    assert hexcolor(h2, bg=True) == "#002b36"  # inherited from the document


def test_dockerfile_keyword_gets_chroma_keyword_colour() -> None:
    lines = render_slide(slide("```dockerfile\nFROM busybox AS base\nRUN echo hi\n```\n"), SOLARIZED, 60)
    keyword = SOLARIZED.chroma["keyword"]
    from_style = style_at(lines, "FROM")
    assert hexcolor(from_style) == keyword.color == "#859900"
    assert from_style.bold
    # on a slide, code sits on the document's background (glamour's own output paints none: below)
    assert hexcolor(from_style, bg=True) == SOLARIZED.get("document").background_color
    exact = render_markdown(slide("```dockerfile\nFROM busybox AS base\n```\n").blocks, SOLARIZED, 60).lines
    glamour_from = style_at(exact, "FROM")
    assert glamour_from.bgcolor is None and glamour_from.bold
    assert glamour_from.color is not None and glamour_from.color.number == 100  # chroma's xterm pick for #859900
    assert hexcolor(style_at(lines, "busybox")) == SOLARIZED.chroma["literal_string"].color


def test_unknown_language_is_plain() -> None:
    lines = render_slide(slide("```nosuchlang\nFROM busybox\n```\n"), SOLARIZED, 60)
    assert hexcolor(style_at(lines, "FROM")) == SOLARIZED.chroma["text"].color
    assert not style_at(lines, "FROM").bold


def test_colour_depths() -> None:
    lines = render_slide(slide("## Heading\n"), SOLARIZED, 40)
    true = to_ansi(lines, "truecolor")
    assert "38;2;38;139;210" in true  # #268bd2
    eight = to_ansi(lines, "256")
    assert "38;5;" in eight and "38;2;" not in eight
    standard = to_ansi(lines, "standard")
    assert "\x1b[" in standard and "38;5;" not in standard and "38;2;" not in standard
    none = to_ansi(lines, None)
    assert "\x1b" not in none
    assert none.split("\n") == [line.plain for line in lines]
    assert to_ansi(lines, "truecolor") == true  # rich's style cache does not leak between depths


def test_ansi_index_colours_stay_indices() -> None:
    dark = load_theme("dark", env={}).theme
    assert dark.get("document").color == "252"
    out = to_ansi(render_slide(slide("plain words\n"), dark, 40), "256")
    assert "38;5;252" in out


def test_detect_color_system() -> None:
    assert detect_color_system({"NO_COLOR": "1", "COLORTERM": "truecolor"}, True) is None
    assert detect_color_system({"COLORTERM": "truecolor"}, False) is None
    assert detect_color_system({"COLORTERM": "truecolor"}, True) == "truecolor"
    assert detect_color_system({"COLORTERM": "24bit"}, True) == "truecolor"
    assert detect_color_system({"TERM": "xterm-256color"}, True) == "256"
    assert detect_color_system({"TERM": "xterm"}, True) == "standard"
    assert detect_color_system({"TERM": "dumb"}, True) is None


def test_text_attributes_map_to_rich() -> None:
    theme = theme_of({
        "emph": {"crossed_out": True, "faint": True, "inverse": True, "blink": True, "underline": True},
        "strong": {"conceal": True, "italic": True, "color": "#9fc"},
    })
    lines = render_slide(slide("*emph* **strong**\n"), theme, 40)
    emph = style_at(lines, "emph")
    assert (emph.strike, emph.reverse, emph.blink, emph.underline) == (True,) * 4
    assert not emph.dim  # glamour draws neither faint nor conceal
    strong = style_at(lines, "strong")
    assert not strong.conceal and strong.italic and hexcolor(strong) == "#99ffcc"


def test_prefix_suffix_format_transforms_and_affixes() -> None:
    theme = theme_of({
        "document": {"margin": 1, "block_prefix": "", "block_suffix": ""},
        "heading": {"upper": True, "block_suffix": "\n\n"},
        "h2": {"prefix": "<<", "suffix": ">>"},
        "paragraph": {"block_prefix": "¶ "},
        "code": {"prefix": "[", "suffix": "]"},
        "emph": {"lower": True},
        "strong": {"title": True},
        "link": {"format": "<{{ .text }}>"},
        "image_text": {"format": "img({{.text}})"},
    })
    text = "## big Title\n\nSee `x` *LOUD* **quiet words** [docs](https://e.org) ![alt](p.png)\n"
    lines = plain_lines(render_slide(slide(text), theme, 80))
    assert lines == [
        " <<BIG TITLE>>",
        "",
        "",
        " ¶ See [x] loud Quiet Words docs <https://e.org> img(alt) p.png",
    ]


def test_block_quote_indent_list_level_indent_and_markers() -> None:
    theme = theme_of({
        "document": {"margin": 0},
        "block_quote": {"indent": 2, "indent_token": "> "},
        "list": {"level_indent": 4},
        "item": {"block_prefix": "* "},
        "enumeration": {"block_prefix": ") "},
        "task": {"ticked": "[X] ", "unticked": "[_] "},
    })
    text = "> quoted\n\n- a\n    - b\n- [x] done\n- [ ] todo\n\n7. seven\n8. eight\n"
    # glamour: a quote and a list start with a newline; a list ends with one
    assert plain_lines(render_slide(slide(text), theme, 40)) == [
        "", "> > quoted", "", "* a", "    * b", "[X] done", "[_] todo", "", "7) seven", "8) eight",
    ]


def test_table_separators_and_alignment() -> None:
    theme = theme_of({"document": {}, "table": {"center_separator": "+", "column_separator": "!",
                                                "row_separator": "="}})
    text = "| l | c | r |\n|:--|:-:|--:|\n| a | bb | c |\n| long | x | yyyy |\n"
    # glamour (lipgloss): columns grow evenly to the full width, one space of margin per cell
    assert plain_lines(render_slide(slide(text), theme, 40)) == [
        "",
        " l           !      c      !          r",
        "=============+=============+============",
        " a           !     bb      !          c",
        " long        !      x      !       yyyy",
    ]


def test_code_block_margin_and_inheritance() -> None:
    theme = theme_of({"document": {"color": "#111111", "background_color": "#222222"},
                      "code_block": {"margin": 3}})
    lines = render_slide(slide("```\ncode here\n```\n"), theme, 30)
    assert plain_lines(lines) == ["", "   code here"]
    assert all(line.cell_len == 30 for line in lines)  # document background fills the width
    code = style_at(lines, "code")
    assert hexcolor(code) == "#111111" and hexcolor(code, bg=True) == "#222222"


def test_long_lines_wrap_words_and_fold_code() -> None:
    notty = load_theme("notty", env={}).theme
    prose = plain_lines(render_slide(slide("alpha beta gamma delta epsilon zeta\n"), notty, 20))
    assert prose == ["", "  alpha beta gamma", "  delta epsilon", "  zeta"]
    block = slide("```\n0123456789abcdefghij\n```\n")
    # the slide view folds a code line too long for its row, keeping its indentation; the broken
    # row ends in a continuation mark (ASCII in the notty theme)
    assert plain_lines(render_slide(block, notty, 18)) == ["", "", "    0123456789a\\", "    bcdefghij"]
    # glamour (render --bare) wraps code with the document: a word longer than the line starts
    # a new line, its indentation dropped, and is cut at the document's width; no mark
    bare = plain_lines(render_markdown(block.blocks, notty, 18).lines)
    assert bare[:5] == ["", "", "", "  0123456789abcd", "  efghij"]


def test_wide_characters_are_measured_in_cells() -> None:
    notty = load_theme("notty", env={}).theme
    lines = render_slide(slide("漢字漢字漢字漢字 🐳🐳🐳🐳🐳\n\n```\n漢字漢字漢字漢字漢字\n```\n"), notty, 11)
    assert all(line.cell_len <= 11 for line in lines)
    assert "".join(plain_lines(lines)).count("漢") == 9


def test_emoji_sequences_are_never_cut_in_half() -> None:
    from rich.cells import cell_len

    notty = load_theme("notty", env={}).theme
    zwj, vs16 = "\U0001f469\u200d\U0001f4bb", "\u26a0\ufe0f"  # woman technologist, warning sign
    lines = plain_lines(render_slide(slide(f"```\n{zwj * 7}{vs16 * 5}\n```\n\n{zwj * 9} {vs16 * 9}\n"), notty, 14))
    text = [line.strip() for line in lines if line.strip()]
    assert all(cell_len(line) <= 14 for line in lines)
    # every line holds whole graphemes: no line starts or ends inside a sequence
    assert all(not line.startswith(("\u200d", "\U0001f4bb", "\ufe0f")) and not line.endswith("\u200d") for line in text)
    assert "".join(text).count(zwj) == 16 and "".join(text).count(vs16) == 14
    # a space left over after a folded long word does not become a blank line
    # the document's and the code block's leading newlines and the gap after the code (the
    # code line is folded with continuation marks, not moved to a line of its own)
    assert [line.strip() for line in lines].count("") == 3


def test_links_and_images_show_urls() -> None:
    notty = load_theme("notty", env={}).theme
    lines = plain_lines(render_slide(slide("[text](https://a.b/c) <https://x.y> ![logo](l.png)\n"), notty, 80))
    assert lines == ["", "  text https://a.b/c https://x.y Image: logo → l.png"]


def _command(output: str | None, notice: str | None = None) -> m.Slide:
    block = m.CommandBlock("graph-easy --as=boxart", "[ a ] -> [ b ]\n", Span(1, 3), 2,
                           output=output, notice=notice)
    return m.Slide(0, Span(1, 3), (block,), "")


def test_command_output_is_verbatim_and_clipped() -> None:
    box = "┌───┐     ┌───┐\n│ a │ ──> │ b │\n└───┘     └───┘\n"
    notty = load_theme("notty", env={}).theme
    assert plain_lines(render_slide(_command(box), notty, 40)) == [
        "", "", "    ┌───┐     ┌───┐", "    │ a │ ──> │ b │", "    └───┘     └───┘",
    ]
    clipped = plain_lines(render_slide(_command(box), notty, 14))  # never re-wrapped, cut at the edge
    assert clipped == ["", "", "    ┌───┐", "    │ a │ ──>", "    └───┘"]
    lines = render_slide(_command("FROM x\n"), SOLARIZED, 40)
    assert hexcolor(style_at(lines, "FROM")) != SOLARIZED.chroma["keyword"].color  # never highlighted


def test_command_source_before_preprocessing_and_no_caption_on_the_slide() -> None:
    notty = load_theme("notty", env={}).theme
    lines = plain_lines(render_slide(_command(None, "not run: deck not trusted"), notty, 40))
    assert lines == ["", "", "    ~~~graph-easy --as=boxart", "    [ a ] -> [ b ]", "    ~~~"]


def test_footer_layout() -> None:
    deck = load_deck("---\nauthor: Ada\ndate: DD MMM YYYY\npaging: '%d/%d'\n---\none\n---\ntwo\n", "t.md")
    footer = render_footer(deck, 1, 40, SOLARIZED, today=dt.date(2024, 3, 5))
    assert footer.cell_len == 40
    assert re.fullmatch(r"  Ada  05 Mar 2024 +2/2  ", footer.plain)
    with_extra = render_footer(deck, 0, 40, SOLARIZED, extra="/search", today=dt.date(2024, 3, 5))
    assert with_extra.plain.rstrip().endswith("/search  1/2")
    narrow = render_footer(deck, 0, 12, SOLARIZED, today=dt.date(2024, 3, 5))
    assert narrow.cell_len <= 12 and "1/2" in narrow.plain
    hidden = load_deck("---\nauthor: ''\ndate: ''\n---\none\n---\ntwo\n", "t.md")
    assert render_footer(hidden, 0, 30, SOLARIZED).plain.strip() == "Slide 1 / 2"


def test_builtin_themes_render_without_colour_where_expected() -> None:
    for name in ("notty", "ascii"):
        theme = load_theme(name, env={}).theme
        lines = render_slide(slide("# T\n\n`c` and [l](u)\n\n```python\nx = 1\n```\n"), theme, 40)
        for line in lines:
            for span in line.spans:
                style = span.style if isinstance(span.style, RichStyle) else RichStyle.parse(span.style)
                assert style.color is None and style.bgcolor is None
    ascii_lines = plain_lines(render_slide(slide("- a\n\n***\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"),
                                           load_theme("ascii", env={}).theme, 30))
    assert all(line.isascii() for line in ascii_lines)


def test_render_slide_is_pure_and_deterministic() -> None:
    s = slide("# A\n\n- b\n\n```dockerfile\nFROM x\n```\n")
    first = render_slide(s, SOLARIZED, 50)
    assert [to_ansi([x], "truecolor") for x in first] == [to_ansi([x], "truecolor")
                                                         for x in render_slide(s, SOLARIZED, 50)]
    assert all("\n" not in line.plain for line in first)


TINY = ("# Héading 漢字\n\n> - [x] **b** `c`\n>   1. d\n\n| a | b | c |\n|---|---|---|\n"
        "| 1 | 2 | 3 |\n\n```python\nprint('x')\n```\n")


@pytest.mark.parametrize("width", [1, 2, 3, 5])
def test_tiny_widths_never_overflow(width: int) -> None:
    for theme in ("solarized_dark", "ascii", "dark"):
        lines = render_slide(slide(TINY), load_theme(theme, env={}).theme, width)
        assert lines and all(line.cell_len <= width for line in lines), theme


def test_code_block_theme_names_a_stock_style_when_there_is_no_chroma() -> None:
    theme = theme_of({"code_block": {"theme": "monokai"}})
    lines = render_slide(slide("```python\ndef f(): pass\n```\n"), theme, 40)
    assert hexcolor(style_at(lines, "def")) == "#66d9ef"  # monokai's keyword colour
    plain = theme_of({"code_block": {"color": "#123456"}})
    assert hexcolor(style_at(render_slide(slide("```python\ndef f(): pass\n```\n"), plain, 40), "def")) == "#123456"


def test_hr_is_its_format() -> None:
    # glamour's hr is its format alone (the text is empty), right after the previous block
    rule = plain_lines(render_slide(slide("a\n\n***\n"), theme_of({"hr": {"format": "{{.text}}"}}), 10))
    assert rule == ["a"]
    literal = plain_lines(render_slide(slide("a\n\n***\n"), theme_of({"hr": {"format": "\n~ * ~\n"}}), 10))
    assert literal == ["a", "", "~ * ~"]
