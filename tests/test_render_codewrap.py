"""Issue 11, visual fault "code wraps mid-token with no continuation mark": in the slide
view (``slidekit render``, the presenter) a code line too long for its row is folded and
every broken row ends in a continuation mark, one cell inside the width; the code's text
is intact; pre-processed output and ``render --bare`` (glamour's output) never get one."""

from __future__ import annotations

import dataclasses
import re

from tests.test_render_styles import style_at
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from slidekit.cli import main
from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.present.app import Options, Presenter
from slidekit.render.codewrap import ASCII_MARK, MARK, is_utf8_locale, mark_for
from slidekit.render.terminal import plain_lines, render_markdown, render_slide, to_ansi
from slidekit.theme.load import builtin_names, load_theme
from tests.present.test_visual_faults import FakeScreen

LONG = 'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates'
DECK = f"# Build\n\n```dockerfile\nFROM busybox\n{LONG}\nCMD [\"sh\"]\n```\n"
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def code_rows(lines: list[str]) -> list[str]:
    """The code block's rows of a slide rendered by a built-in theme (document margin 2,
    code margin 2), without that indentation."""
    rows = [line.rstrip() for line in lines if line.startswith("    ") and line.strip()]
    return [row[4:] for row in rows]


def unfold(rows: list[str], mark: str) -> tuple[list[str], list[int]]:
    """The source lines the rows show, and for each source line its number of rows."""
    lines: list[str] = []
    counts: list[int] = []
    pending = ""
    count = 0
    for row in rows:
        count += 1
        if row.endswith(mark):
            pending += row[: -len(mark)]
            continue
        lines.append(pending + row)
        counts.append(count)
        pending, count = "", 0
    assert not pending, "the last row ends in a continuation mark"
    return lines, counts


def test_a_long_line_folds_with_a_mark_in_render(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    deck = tmp_path / "talk.md"
    deck.write_text(DECK, encoding="utf-8")
    assert main(["render", str(deck), "--width", "40", "--color", "never", "--theme", "dark"]) == 0
    out = capsys.readouterr().out.split("\n")
    assert all(cell_len(line) <= 40 for line in out)
    rows = code_rows(out)
    lines, counts = unfold(rows, MARK)
    assert lines == ["FROM busybox", LONG, 'CMD ["sh"]']
    assert counts[0] == 1 and counts[1] >= 3 and counts[2] == 1
    marked = [row for row in rows if row.endswith(MARK)]
    assert len(marked) == counts[1] - 1  # on the broken rows only
    # a row breaks at a blank when that keeps it at least half full, else inside a token
    assert marked[0] == "RUN apt-get update && apt-get " + MARK


def test_a_long_line_folds_with_a_mark_in_the_presenter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    deck = load_deck(DECK, "talk.md")
    for theme in ("dark", "solarized_light"):
        talk = Presenter(Options("talk.md"), deck, load_theme(theme, env={}), FakeScreen(40, 20))  # type: ignore[arg-type]
        talk.color_system = "truecolor"
        rows = [_SGR.sub("", row) for row in talk.slide_lines(0, 0, 40)]
        assert all(cell_len(row) <= 40 for row in rows)
        assert unfold(code_rows([row.rstrip() for row in rows]), MARK)[0] == ["FROM busybox", LONG, 'CMD ["sh"]']
        screen = "\n".join(_SGR.sub("", row) if isinstance(row, str) else row.plain for row in talk.frame())
        assert MARK in screen
    # a terminal whose locale is not UTF-8 gets the ASCII mark
    monkeypatch.setenv("LC_ALL", "C")
    talk = Presenter(Options("talk.md"), deck, load_theme("dark", env={}), FakeScreen(40, 20))  # type: ignore[arg-type]
    rows = [_SGR.sub("", row).rstrip() for row in talk.slide_lines(0, 0, 40)]
    assert MARK not in "".join(rows)
    assert unfold(code_rows(rows), ASCII_MARK)[0] == ["FROM busybox", LONG, 'CMD ["sh"]']


def test_bare_output_has_no_marks_and_diagrams_are_never_folded() -> None:
    deck = load_deck(DECK, "talk.md")
    theme = load_theme("dark", env={}).theme
    bare = "\n".join(plain_lines(render_markdown(deck.slides[0].blocks, theme, 40).lines))
    assert MARK not in bare and ASCII_MARK not in bare
    diagram = "┌" + "─" * 60 + "┐"
    block = m.CommandBlock(command="graph-easy", body="[ a ]\n", span=deck.slides[0].span, body_start=2,
                           output=diagram + "\n")
    slide = dataclasses.replace(deck.slides[0], blocks=(block,))
    lines = plain_lines(render_slide(slide, theme, 40))
    assert [line for line in lines if line.strip()] == ["    " + diagram[:36]]  # cut, not folded


def test_the_mark_is_drawn_like_the_code() -> None:
    slide = load_deck(DECK, "talk.md").slides[0]
    for name in ("dark", "solarized_dark"):
        theme = load_theme(name, env={}).theme
        lines = render_slide(slide, theme, 40)
        style = style_at(lines, MARK)
        text_colour = theme.chroma["text"].color  # plain text in the code theme
        assert style.dim and style.color is not None and text_colour is not None
        assert style.color.get_truecolor().hex == text_colour.lower()
        background = theme.get("document").background_color  # the code sits on the slide's background
        assert (style.bgcolor.get_truecolor().hex if style.bgcolor else None) == background
        assert "\x1b[2;" in to_ansi([line for line in lines if MARK in line.plain], "truecolor")
    notty = load_theme("notty", env={}).theme
    style = style_at(render_slide(slide, notty, 40), ASCII_MARK)
    assert not style.dim  # a theme without colours gets no attribute it did not ask for


def test_the_mark_depends_on_the_theme_and_the_locale() -> None:
    for name in builtin_names():
        theme = load_theme(name, env={}).theme
        assert mark_for(theme, utf8=True) == (ASCII_MARK if name in ("ascii", "notty") else MARK)
        assert mark_for(theme, utf8=False) == ASCII_MARK
    assert is_utf8_locale({})  # nothing set: slidekit assumes UTF-8 everywhere
    assert is_utf8_locale({"LANG": "de_DE.utf8"}) and is_utf8_locale({"LC_CTYPE": "C.UTF-8", "LANG": "C"})
    assert not is_utf8_locale({"LC_ALL": "C", "LANG": "en_US.UTF-8"})
    assert not is_utf8_locale({"LANG": "en_US.ISO-8859-1"})


def test_code_nested_in_lists_and_quotes_folds_within_the_width() -> None:
    nested = (f"- item\n\n  ```\n  {LONG}\n  ```\n", f"> quote\n>\n> ```\n> {LONG}\n> ```\n",
              f"> - quoted item\n>\n>   ```\n>   {LONG}\n>   ```\n")
    for text in nested:
        slide = load_deck(text, "talk.md").slides[0]
        for name in builtin_names():
            theme = load_theme(name, env={}).theme
            mark = mark_for(theme)
            for width in (30, 40, 57):
                lines = [line.plain.rstrip() for line in render_slide(slide, theme, width)]
                assert all(cell_len(line) <= width for line in lines)
                start = next(i for i, line in enumerate(lines) if "RUN" in line)
                prefix = lines[start][: lines[start].index("RUN")]  # the enclosing blocks' indentation
                rows = []
                for line in lines[start:]:
                    assert line.startswith(prefix), (name, width, line)
                    rows.append(line[len(prefix):])
                    if not line.endswith(mark):
                        break
                assert len(rows) >= 2 and unfold(rows, mark)[0] == [LONG], (name, width, rows)


CODE = st.text(st.sampled_from("abcdefghij XYZ0123456789_=(),.;:-+|\"'漢é"), min_size=1, max_size=160).map(
    lambda s: s.rstrip()).filter(lambda s: bool(s.strip()))


@settings(max_examples=150, deadline=None)
@given(code=CODE, indent=st.integers(0, 6), width=st.integers(12, 100), theme=st.sampled_from(builtin_names()),
       lang=st.sampled_from(["", "python", "dockerfile", "bash"]))
def test_folded_rows_fit_and_join_back_into_the_code(code: str, indent: int, width: int, theme: str,
                                                    lang: str) -> None:
    source = " " * indent + code
    slide = load_deck(f"```{lang}\n{source}\n```\n", "talk.md").slides[0]
    loaded = load_theme(theme, env={}).theme
    mark = mark_for(loaded)
    lines = render_slide(slide, loaded, width)
    assert all(line.cell_len <= width for line in lines)
    rows = code_rows(plain_lines(lines))
    shown, counts = unfold(rows, mark)
    assert shown == [source]
    room = width - 6  # the document's margins (2 + 2) and the code block's (2)
    assert all(cell_len(row) <= room for row in rows)
    assert (counts[0] > 1) == (cell_len(source) > room)  # folded exactly when the line is too long
