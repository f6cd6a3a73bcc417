"""Code lines too long for the slide, folded with a continuation mark.

glamour lets the document's word wrap break a long code line wherever it falls,
with nothing to tell the audience the next row continues it. In the slide view
(never in ``render --bare``, which reproduces glamour) a code block's lines are
folded before that wrap sees them: each broken row ends in :data:`MARK` (``\\``
with :data:`ASCII_MARK` for the ascii/notty themes and terminals that are not
UTF-8), styled like the code and dimmed when the theme colours its code. The mark
takes one cell of the row; a row breaks after its last blank when that blank
follows some code and fills at least half the row, else inside a token; no character of the code is
dropped, so the rows without their marks join back into the line. Pre-processed
output (:class:`~slidekit.render.cells.Verbatim` cells) is never folded.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.cells import cell_len
from rich.style import Style as RichStyle

from slidekit.render import cells as c
from slidekit.render.cells import Cell
from slidekit.theme.schema import Theme

MARK = "\u21a9"  # ↩
ASCII_MARK = "\\"
#: built-in themes meant for plain terminals: their mark is ASCII
ASCII_THEMES = frozenset({"ascii", "notty"})
_LOCALE_VARS = ("LC_ALL", "LC_CTYPE", "LANG")


def is_utf8_locale(env: Mapping[str, str]) -> bool:
    """Whether the terminal's locale (the first of LC_ALL, LC_CTYPE, LANG that is
    set) is UTF-8; with none set, slidekit assumes UTF-8 as it does everywhere."""
    for name in _LOCALE_VARS:
        value = env.get(name)
        if value:
            normal = value.lower().replace("-", "").replace("_", "")
            return "utf8" in normal
    return True


def mark_for(theme: Theme, utf8: bool = True) -> str:
    """The continuation mark for ``theme`` on a terminal that is (not) UTF-8."""
    if not utf8 or Path(theme.name).stem.lower() in ASCII_THEMES:
        return ASCII_MARK
    return MARK


def mark_style(code: RichStyle | None) -> RichStyle | None:
    """The mark drawn like the code: its colours, dimmed when the code has a colour
    (a theme without colours gets no attribute it did not ask for)."""
    if code is None or not code:
        return None
    if code.color is None and code.bgcolor is None:
        return code
    return code + RichStyle(dim=True)


def fold(cells: list[Cell], room: int, mark: str, style: RichStyle | None) -> list[Cell]:
    """Every line of ``cells`` longer than ``room`` cells cut into rows of at most
    ``room`` cells, each broken row ending in ``mark``; newlines are kept, lines
    that fit and lines of pre-processed output come back as they were."""
    mark_w = cell_len(mark)
    if room <= mark_w:  # no space for any code next to the mark: leave it to the wrap
        return list(cells)
    mark_cells = [(g, w, style) for g, w in c.graphemes(mark)]
    out: list[Cell] = []
    for index, line in enumerate(c.split(cells)):
        if index:
            out.append(("\n", 0, None))
        if c.width(line) <= room or any(isinstance(cell[0], c.Verbatim) for cell in line):
            out.extend(line)
            continue
        out.extend(_fold_line(line, room, mark_cells, room - mark_w))
    return out


def _fold_line(line: list[Cell], room: int, mark_cells: list[Cell], limit: int) -> list[Cell]:
    out: list[Cell] = []
    rest = line
    while c.width(rest) > room:
        cut = _cut(rest, limit)
        out.extend(rest[:cut])
        out.extend(mark_cells)
        out.append(("\n", 0, None))
        rest = rest[cut:]
    out.extend(rest)
    return out


def _cut(line: list[Cell], limit: int) -> int:
    """How many cells of ``line`` go on a broken row of ``limit`` cells: up to its
    last blank that follows some code when that fills at least half the row, else
    as many as fit (at least one)."""
    used = 0
    fits = 0
    for cell in line:
        if used + cell[1] > limit:
            break
        used += cell[1]
        fits += 1
    fits = max(fits, 1)
    seen_code = False
    last_blank = 0
    used = 0
    for i, cell in enumerate(line[:fits]):
        used += cell[1]
        if cell[0].isspace():
            if seen_code and 2 * used >= limit:
                last_blank = i + 1
        else:
            seen_code = True
    if last_blank and fits < len(line) and not line[fits][0].isspace():
        return last_blank
    return fits
