"""Cell-width aware line helpers: wrapping, folding, cropping, padding.

Widths are terminal cells as rich measures them (``cell_len``), so CJK and
emoji count two cells. Every helper returns lines no wider than asked.
"""

from __future__ import annotations

from io import StringIO

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.style import Style as RichStyle
from rich.text import Text

#: only used for rich's wrapping machinery; never printed to
_MEASURE = Console(file=StringIO(), width=10_000, color_system=None, _environ={}, emoji=False,
                   markup=False, highlight=False)


def width_of(line: Text) -> int:
    return cell_len(line.plain)


def crop(line: Text, width: int) -> Text:
    """``line`` cut to at most ``width`` cells (a wide char on the edge is dropped)."""
    if width_of(line) <= width:
        return line
    out = line.copy()
    out.truncate(max(width, 0), overflow="crop")
    while width_of(out) > width and out.plain:  # pragma: no cover - defensive
        out.right_crop(1)
    return out


def wrap(text: Text, width: int) -> list[Text]:
    """Word-wrap prose to ``width`` cells; words longer than a line are folded."""
    width = max(width, 1)
    lines: list[Text] = []
    for piece in split_lines(text):
        wrapped = [crop(line, width) for line in piece.wrap(_MEASURE, width, justify="default",
                                                             overflow="fold", tab_size=4)]
        if len(wrapped) > 1:  # a space left over after a folded word is not a line of its own
            wrapped = [line for line in wrapped if line.plain.strip(" ")] or wrapped[:1]
        lines.extend(wrapped or [Text()])
    return lines or [Text()]


def fold(line: Text, width: int) -> list[Text]:
    """Hard-wrap one line at exactly ``width`` cells (for code: no word logic)."""
    width = max(width, 1)
    if width_of(line) <= width:
        return [line]
    offsets: list[int] = []
    used = 0
    for index, size in _graphemes(line.plain):
        if used + size > width and used > 0:
            offsets.append(index)
            used = 0
        used += size
    return [crop(part, width) for part in line.divide(offsets)]


def _graphemes(text: str) -> list[tuple[int, int]]:
    """(start index, cells) of each grapheme of ``text``: an emoji ZWJ sequence or
    a character with its variation selector stays whole (per character on rich
    versions without ``split_graphemes``)."""
    try:
        from rich.cells import split_graphemes  # noqa: PLC0415 - only in rich >= 14
    except ImportError:  # rich < 14
        return [(index, get_character_cell_size(char)) for index, char in enumerate(text)]
    spans, _ = split_graphemes(text)
    return [(start, cells) for start, _end, cells in spans]


def pad(line: Text, width: int, style: RichStyle | None) -> Text:
    """``line`` padded with spaces (in ``style``) to exactly ``width`` cells."""
    missing = width - width_of(line)
    if missing <= 0:
        return line
    out = line.copy()
    out.append(" " * missing, style=style)
    return out


def indent(lines: list[Text], first: Text, rest: Text | None = None) -> list[Text]:
    """Prefix the first line with ``first`` and the others with ``rest`` (default: ``first``)."""
    rest = first if rest is None else rest
    out: list[Text] = []
    for i, line in enumerate(lines):
        head = (first if i == 0 else rest).copy()
        head.append_text(line)
        out.append(head)
    return out


def split_lines(text: Text) -> list[Text]:
    """``text`` cut at newlines, blank lines kept."""
    return list(text.split("\n", allow_blank=True)) or [Text()]
