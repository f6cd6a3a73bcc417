"""Styled cell streams: the buffers glamour's renderer writes into, and the
writers it passes them through (word wrap, indentation, padding).

glamour renders Markdown into byte buffers full of escape codes and passes them
through a word wrapper (``ansi.Wrap``) and margin writers. Here a buffer is a
list of cells, each one grapheme with its width and rich style, so the same
algorithms run without escape codes; :func:`to_lines` turns a stream into rich
Texts, one per line.
"""

from __future__ import annotations

from collections.abc import Iterable

import rich.cells
from rich.cells import cell_len, get_character_cell_size
from rich.style import Style as RichStyle
from rich.text import Text

#: rich >= 14 splits text into graphemes (an emoji ZWJ sequence is one)
_split_graphemes = getattr(rich.cells, "split_graphemes", None)
#: one grapheme, its width in cells, its style ("\n" has width 0)
Cell = tuple[str, int, RichStyle | None]
_NBSP = "\u00a0"


class Verbatim(str):
    """A whole line that no wrapper may break (pre-processed diagram output):
    one cell as wide as the line."""


def graphemes(text: str) -> list[tuple[str, int]]:
    """``text`` as (grapheme, cells) pairs; an emoji sequence stays whole."""
    if _split_graphemes is None:  # rich < 14: one character at a time
        return [(ch, 0 if ch == "\n" else get_character_cell_size(ch)) for ch in text]
    out: list[tuple[str, int]] = []
    for index, part in enumerate(text.split("\n")):
        if index:
            out.append(("\n", 0))
        if part:
            spans, _ = _split_graphemes(part)
            out.extend((part[start:end], cells) for start, end, cells in spans)
    return out


class Buf:
    """A growing stream of styled cells (glamour's ``bytes.Buffer``)."""

    __slots__ = ("cells",)

    def __init__(self, cells: Iterable[Cell] = ()) -> None:
        self.cells: list[Cell] = list(cells)

    def write(self, text: str, style: RichStyle | None = None) -> None:
        if not text:
            return
        style = style or None
        self.cells.extend((g, w, style) for g, w in graphemes(text))

    def extend(self, cells: Iterable[Cell]) -> None:
        self.cells.extend(cells)

    @property
    def plain(self) -> str:
        return "".join(c[0] for c in self.cells)


def width(cells: Iterable[Cell]) -> int:
    return sum(c[1] for c in cells)


def restyle(cells: Iterable[Cell], under: RichStyle | None) -> list[Cell]:
    """``cells`` drawn over ``under`` (their own attributes win)."""
    if not under:
        return list(cells)
    return [(g, w, under + s if s else under) for g, w, s in cells]


def wrap(cells: list[Cell], limit: int, breakpoints: str = "") -> list[Cell]:
    """charmbracelet/x/ansi ``Wrap``: word-wrap at ``limit`` cells, breaking
    words longer than a line; ``breakpoints`` (and ``-``) may end a line too.
    Spaces at a break are dropped; newlines are kept."""
    if limit < 1:
        return list(cells)
    out: list[Cell] = []
    word: list[Cell] = []
    space: list[Cell] = []
    state = {"cur": 0, "space_w": 0, "word_len": 0}

    def add_space() -> None:
        if state["space_w"] == 0 and not space:
            return
        state["cur"] += state["space_w"]
        out.extend(space)
        space.clear()
        state["space_w"] = 0

    def add_word() -> None:
        if not word:
            return
        add_space()
        state["cur"] += state["word_len"]
        out.extend(word)
        word.clear()
        state["word_len"] = 0

    def add_newline() -> None:
        out.append(("\n", 0, None))
        state["cur"] = 0
        space.clear()
        state["space_w"] = 0

    for cell in cells:
        g, w, _style = cell
        if isinstance(g, Verbatim):
            add_word()
            add_space()
            out.append(cell)
            state["cur"] += w
        elif g == "\n":
            if state["word_len"] == 0:
                if state["cur"] + state["space_w"] > limit:
                    state["cur"] = 0
                else:
                    out.extend(space)
                space.clear()
                state["space_w"] = 0
            add_word()
            add_newline()
        elif g.isspace() and g != _NBSP:
            add_word()
            space.append(cell)
            state["space_w"] += w
        elif g == "-" or any(ch in breakpoints for ch in g):
            add_space()
            if state["cur"] + state["word_len"] + w > limit:  # it cannot end this line
                word.append(cell)
                state["word_len"] += w
            else:
                add_word()
                out.append(cell)
                state["cur"] += w
        elif not g.isascii():  # a multi-byte grapheme
            if state["word_len"] + w > limit:
                add_word()
            word.append(cell)
            state["word_len"] += w
            if state["cur"] + state["word_len"] + state["space_w"] > limit:
                add_newline()
            if state["word_len"] == limit:
                add_word()
        else:
            if state["cur"] == limit:
                add_newline()
            word.append(cell)
            state["word_len"] += w
            if state["word_len"] == limit:
                add_word()
            if state["cur"] + state["word_len"] + state["space_w"] > limit:
                add_newline()
    if state["word_len"] == 0:
        if state["cur"] + state["space_w"] <= limit:
            out.extend(space)
        space.clear()
        state["space_w"] = 0
    add_word()
    return out


def truncate(cells: list[Cell], length: int, tail: str = "") -> list[Cell]:
    """x/ansi ``Truncate``: at most ``length`` cells, ending in ``tail`` when cut."""
    if width(cells) <= length:
        return list(cells)
    tail_w = cell_len(tail)
    room = max(length - tail_w, 0)
    out: list[Cell] = []
    used = 0
    for cell in cells:
        if cell[0] == "\n":
            out.append(cell)
            continue
        if used + cell[1] > room:
            break
        out.append(cell)
        used += cell[1]
    if tail and length >= tail_w:
        style = out[-1][2] if out else None
        out.extend((g, w, style) for g, w in graphemes(tail))
    return out


def margin_write(out: Buf, cells: Iterable[Cell], *, indent: int, token: str,
                 token_style: RichStyle | None, pad_to: int, pad_style: RichStyle | None,
                 at_line_start: bool = True) -> None:
    """glamour's MarginWriter: ``indent`` copies of ``token`` before every line
    (written as soon as the line gets a character), and each line that ends in a
    newline padded with spaces to ``pad_to`` cells (the indentation not counted)."""
    skip_indent = not at_line_start
    line_w = 0
    token_cells = [(g, w, token_style or None) for g, w in graphemes(token)] * indent
    for cell in cells:
        if not skip_indent:
            out.cells.extend(token_cells)
            skip_indent = True
        if cell[0] == "\n":
            if pad_to > 0 and line_w < pad_to:
                out.cells.extend([(" ", 1, pad_style or None)] * (pad_to - line_w))
            line_w = 0
            skip_indent = False
        else:
            line_w += cell[1]
        out.cells.append(cell)


def split(cells: list[Cell]) -> list[list[Cell]]:
    """``cells`` cut at newlines (an empty last line kept)."""
    lines: list[list[Cell]] = [[]]
    for cell in cells:
        if cell[0] == "\n":
            lines.append([])
        else:
            lines[-1].append(cell)
    return lines


def join(lines: list[list[Cell]]) -> list[Cell]:
    out: list[Cell] = []
    for i, line in enumerate(lines):
        if i:
            out.append(("\n", 0, None))
        out.extend(line)
    return out


def to_text(line: Iterable[Cell]) -> Text:
    """One line of cells as a rich Text."""
    text = Text(end="")
    run: list[str] = []
    current: RichStyle | None = None
    for g, _w, style in line:
        if style != current and run:
            text.append("".join(run), style=current)
            run = []
        current = style
        run.append(g)
    if run:
        text.append("".join(run), style=current)
    return text


def to_lines(cells: list[Cell]) -> list[Text]:
    return [to_text(line) for line in split(cells)]
