"""Layouts, code highlights and the timer as values: presenterm's comment commands, ``{1|2-3|all}``,
``+line_numbers``, title slides, the verifier's line map, the countdown (pure; the pty and browser tests
drive the same features for real)."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import assert_golden
from rich.text import Text

from slidekit.commands._options import parse_duration
from slidekit.deck.info import parse_info
from slidekit.deck.layout import slide_layout
from slidekit.deck.load import load_deck
from slidekit.present.timer import Countdown, clock
from slidekit.render.html import HtmlOptions, render_html
from slidekit.render.slide_layout import column_widths
from slidekit.render.terminal import plain_lines, render_slide
from slidekit.theme.load import load_theme
from slidekit.theme.schema import Theme, parse_theme
from slidekit.verify.assemble import assemble

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "slides" / "presenting.md"

COLUMNS = """# Two columns

<!-- column_layout: [2, 1] -->
<!-- column: 0 -->

left words here

<!-- column: 1 -->

right words

<!-- reset_layout -->

full width again
"""


def theme(name: str = "dark"):  # type: ignore[no-untyped-def]
    return load_theme(name, env={}).theme


def test_info_string_highlights() -> None:
    assert parse_info("rust {1,3-5} +line_numbers").highlight == (frozenset({1, 3, 4, 5}),)
    info = parse_info("dockerfile {1|2-3|all} file=api")
    assert info.highlight == (frozenset({1}), frozenset({2, 3}), None)
    assert info.attrs == {"file": "api"} and info.lang == "dockerfile"
    assert parse_info("dockerfile {file=api}").attrs == {"file": "api"}
    assert parse_info("dockerfile {file=api}").highlight == ()
    assert parse_info("{2}").highlight == (frozenset({2}),)
    assert len(parse_info("py {1-99999999}").highlight[0] or ()) == 10_001  # bounded


def test_columns_sit_side_by_side_at_100_and_60() -> None:
    slide = load_deck(COLUMNS, "d.md").slides[0]
    for width in (100, 60):
        lines = plain_lines(render_slide(slide, theme(), width))
        row = next(line for line in lines if "left words" in line)
        assert "right words" in row, lines
        assert row.index("right words") >= width * 2 // 3 - 2  # the right column starts after 2/3 of the width
        assert any("full width again" in line and "right" not in line for line in lines)
        assert all(len(line) <= width for line in lines)


def test_column_widths_share_by_weight() -> None:
    assert column_widths((2, 1), 100, 4) == [64, 32]
    assert sum(column_widths((1, 1, 1), 60, 4)) + 8 == 60


def test_alignment_title_slide_and_jump_to_middle() -> None:
    deck = load_deck("# Title only\n\n---\n\n# T\n\n<!-- alignment: center -->\n\ncentred\n\n"
                     "<!-- jump_to_middle -->\n\nlow\n", "d.md")
    title = plain_lines(render_slide(deck.slides[0], theme(), 40, height=20))
    (row,) = [i for i, line in enumerate(title) if "Title only" in line]
    assert 8 <= row <= 11  # centred vertically
    assert abs(title[row].index("Title") - (40 - len("Title only")) // 2) <= 2  # and horizontally
    body = plain_lines(render_slide(deck.slides[1], theme(), 40, height=20))
    centred = next(line for line in body if "centred" in line)
    assert centred.index("centred") >= 14
    assert next(i for i, line in enumerate(body) if "low" in line) == 10  # half of 20 rows


def test_highlight_steps_dim_the_other_lines() -> None:
    deck = load_deck("# Code\n\n```python {1|2-3|all} +line_numbers\na = 1\nb = 2\nc = 3\n```\n\nafter\n", "d.md")
    slide = deck.slides[0]
    assert slide.steps == 3

    def dimmed(step: int) -> list[str]:
        out = []
        for line in render_slide(slide, theme(), 60, step=step):
            if any(getattr(s.style, "dim", False) and "=" in line.plain[s.start:s.end] for s in line.spans):
                out.append(line.plain.strip())
        return out

    assert dimmed(0) == ["2 b = 2", "3 c = 3"]
    assert dimmed(1) == ["1 a = 1"]
    assert dimmed(2) == []
    assert any("after" in line for line in plain_lines(render_slide(slide, theme(), 60, step=0)))


def test_pauses_after_a_stepping_block_come_after_its_steps() -> None:
    deck = load_deck("```py {1|2}\na\nb\n```\n\n<!-- pause -->\n\nlater\n", "d.md")
    slide = deck.slides[0]
    assert slide.steps == 3
    assert not any("later" in line for line in plain_lines(render_slide(slide, theme(), 40, step=1)))
    assert any("later" in line for line in plain_lines(render_slide(slide, theme(), 40, step=2)))


def test_a_highlighted_dockerfile_keeps_the_verifier_line_map() -> None:
    text = "# D\n\n```dockerfile {2|all} +line_numbers\nFROM scratch AS a\nCOPY x /x\n```\n"
    (dockerfile,) = assemble(load_deck(text, "d.md"))
    assert dockerfile.text.splitlines()[:2] == ["FROM scratch AS a", "COPY x /x"]
    assert [dockerfile.deck_line(n) for n in (1, 2)] == [4, 5]


def test_end_slide_splits_and_unknown_commands_warn() -> None:
    deck = load_deck("# A\n\n<!-- end_slide -->\n\n# B\n\n<!-- wobble: 3 -->\n<!-- alignment: sideways -->\n", "d.md")
    assert [s.title for s in deck.slides] == ["A", "B"]
    assert deck.warnings == ("d.md:7: unknown comment command 'wobble' (ignored)",
                             "d.md:8: alignment is one of left, center, right, not 'sideways'")
    fenced = load_deck("```md\n<!-- end_slide -->\n```\n", "d.md")
    assert len(fenced.slides) == 1


def test_no_footer_and_slide_theme_are_read() -> None:
    deck = load_deck("# A\n\n<!-- no_footer -->\n<!-- theme: light -->\n\ntext\n", "d.md")
    layout = slide_layout(deck.slides[0])
    assert layout.no_footer and layout.theme == "light" and not layout.title


def test_theme_extensions_are_read_and_optional() -> None:
    own, warnings = parse_theme({"slidekit_columns": {"margin": 10}, "slidekit_dimmed": {"color": "#ff0000"}}, "t")
    assert warnings == []
    parsed = Theme("t", {**theme().elements, **own.elements})
    slide = load_deck(COLUMNS, "d.md").slides[0]
    row = next(line for line in plain_lines(render_slide(slide, parsed, 100)) if "left" in line)
    assert "left words here" + " " * 10 in row.ljust(100)
    code = load_deck("```python {1}\na = 1\nb = 2\n```\n", "d.md").slides[0]
    styled = [s for line in render_slide(code, parsed, 40) for s in line.spans
              if "b = 2" in line.plain and s.style and getattr(s.style, "color", None)]
    assert any(s.style.color.triplet.hex == "#ff0000" for s in styled if s.style.color.triplet)  # type: ignore[union-attr]


def test_html_layout() -> None:
    deck = load_deck(COLUMNS + "\n---\n\n# Only a title\n\n---\n\n```py {1|2}\na\nb\n```\n<!-- no_footer -->\n",
                     "d.md")
    html = render_html(deck, theme(), HtmlOptions(duration=600)).html
    assert 'style="grid-template-columns: 2fr 1fr"' in html
    assert 'data-kind="title"' in html and 'data-footer="none"' in html
    assert 'data-hl-base="0" data-hl-groups="2"' in html
    assert '<span class="sk-line" data-hl="0">' in html and '<span class="sk-line" data-hl="1">' in html
    assert '"duration": 600' in html or '"duration":600' in html


def test_countdown() -> None:
    c = Countdown(600, started=1000)
    assert c.remaining(1100) == 500 and c.phase(1100) == "normal"
    assert c.phase(1000 + 301) == "warning" and c.phase(1600) == "over"
    paused = c.toggle(1100)
    assert paused.remaining(1400) == 500
    resumed = paused.toggle(1400)
    assert resumed.remaining(1500) == 400
    assert resumed.reset(2000).remaining(2000) == 600
    assert c.pace(1100, 2, 10) == 20  # slide 3 of 10 after 100 s of a 600 s talk: 20 s ahead
    assert "ahead" in c.label(1100, 2, 10) and "behind" in c.label(1300, 2, 10)
    assert c.label(1700, 9, 10).startswith("⏳ over by 1:40")
    assert clock(3725) == "1:02:05" and clock(-65) == "-1:05"


@pytest.mark.parametrize(("text", "seconds"), [("20m", 1200), ("1h30m", 5400), ("90s", 90), ("45", 2700)])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "x", "0", "10q"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("width", [100, 60])
def test_example_deck_golden(request: pytest.FixtureRequest, width: int) -> None:
    deck = load_deck(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    out: list[str] = []
    for slide in deck.slides:
        for step in range(slide.steps):
            lines: list[Text] = render_slide(slide, theme(), width, step=step, height=24)
            assert all(line.cell_len <= width for line in lines)
            out.append(f"=== slide {slide.number} step {step} ===")
            for line, plain in zip(lines, plain_lines(lines)):  # dimmed code lines are marked
                dim = any(getattr(s.style, "dim", False) and not line.plain[s.start:s.end].strip().isdigit()
                          and line.plain[s.start:s.end].strip() for s in line.spans)  # not the line number
                out.append(plain + ("   ◌ dimmed" if dim else ""))
    assert_golden(request.config, f"presenting_{width}.txt", "\n".join(out) + "\n")


def test_title_slide_style_from_the_theme() -> None:
    own, warnings = parse_theme({"slidekit_title": {"prefix": "» ", "color": "#ff0000"}}, "t")
    assert warnings == []
    styled = Theme("t", {**theme().elements, **own.elements})
    deck = load_deck("# Big title\n\n---\n\n# Normal\n\ntext\n", "d.md")
    title = next(line for line in render_slide(deck.slides[0], styled, 60, height=10) if "Big title" in line.plain)
    assert "» Big title" in title.plain
    assert any(s.style.color and s.style.color.triplet and s.style.color.triplet.hex == "#ff0000"  # type: ignore[union-attr]
               for s in title.spans if not isinstance(s.style, str))
    normal = plain_lines(render_slide(deck.slides[1], styled, 60))
    assert not any("»" in line for line in normal)
    assert plain_lines(render_slide(deck.slides[0], theme(), 60)) != plain_lines(render_slide(deck.slides[0], styled, 60))
    html = render_html(deck, styled).html
    assert '.sk-slide[data-kind="title"] h1' in html and "#ff0000" in html


def test_front_matter_title_slides() -> None:
    deck = load_deck("---\ntitle_slides: [2, 9]\n---\n# A\n\ntext\n\n---\n\n# B\n\ntext\n", "d.md")
    assert [slide_layout(s).title for s in deck.slides] == [False, True]
    assert deck.warnings == ("d.md:2: title_slides: 9 is not a slide number (1 to 2)",)
    lines = plain_lines(render_slide(deck.slides[1], theme(), 40, height=12))
    row = next(i for i, line in enumerate(lines) if "B" in line)
    assert row >= 3 and lines[row].index("B") > 10
