"""A small SGR-state parser: an ANSI stream → a grid of cells, to compare screens.

Each cell is (grapheme, attributes) with the attributes a screen shows: foreground,
background, bold, italic, underline, strikethrough. Colours are normalised
(``97`` and ``38;5;15`` are both colour 15), OSC sequences (hyperlinks) and
other escape sequences are skipped, and trailing blanks that show nothing
(no background, underline or strikethrough) and trailing empty rows are dropped,
so the spelling of the escape codes and invisible padding don't count.
"""

from __future__ import annotations

import re

from rich.cells import split_graphemes

Attrs = tuple[tuple[str, object], ...]
Cell = tuple[str, Attrs]
_SEQUENCE = re.compile(r"\x1b\[([0-9;:]*)m|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-z]")
_FLAGS = {1: ("bold", True), 3: ("italic", True), 4: ("underline", True), 9: ("strike", True)}
_RESETS = {22: "bold", 23: "italic", 24: "underline", 29: "strike", 39: "fg", 49: "bg"}


def parse(data: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[]]
    state: dict[str, object] = {}
    position = 0
    for match in _SEQUENCE.finditer(data):
        _text(data[position:match.start()], state, rows)
        position = match.end()
        if match.group(1) is not None:
            _sgr(match.group(1), state)
    _text(data[position:], state, rows)
    trimmed = [_trim(row) for row in rows]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def text_of(grid: list[list[Cell]]) -> list[str]:
    return ["".join(cell[0] for cell in row).rstrip() for row in grid]


def _sgr(spec: str, state: dict[str, object]) -> None:
    params = [int(p) if p else 0 for p in re.split("[;:]", spec)] if spec else [0]
    i = 0
    while i < len(params):
        p = params[i]
        i += 1
        if p == 0:
            state.clear()
        elif p in _FLAGS:
            key, value = _FLAGS[p]
            state[key] = value
        elif p in _RESETS:
            state.pop(_RESETS[p], None)
        elif 30 <= p <= 37 or 90 <= p <= 97:
            state["fg"] = p - 30 if p < 90 else p - 90 + 8
        elif 40 <= p <= 47 or 100 <= p <= 107:
            state["bg"] = p - 40 if p < 100 else p - 100 + 8
        elif p in (38, 48) and i < len(params):
            key = "fg" if p == 38 else "bg"
            if params[i] == 5 and i + 1 < len(params):
                state[key] = params[i + 1]
                i += 2
            elif params[i] == 2 and i + 3 < len(params):
                state[key] = tuple(params[i + 1:i + 4])
                i += 4


def _text(chunk: str, state: dict[str, object], rows: list[list[Cell]]) -> None:
    attrs: Attrs = tuple(sorted(state.items()))
    for index, part in enumerate(chunk.split("\n")):
        if index:
            rows.append([])
        spans, _ = split_graphemes(part)
        rows[-1].extend((part[start:end], attrs) for start, end, _cells in spans)


def _shows(cell: Cell) -> bool:
    keys = dict(cell[1])
    return bool(cell[0].strip()) or any(k in keys for k in ("bg", "underline", "strike"))


def _trim(row: list[Cell]) -> list[Cell]:
    end = len(row)
    while end and not _shows(row[end - 1]):
        end -= 1
    return row[:end]
