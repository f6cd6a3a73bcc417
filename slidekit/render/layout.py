"""Cell-width aware line helpers for the slide frame: cropping and padding.

Widths are terminal cells as rich measures them (``cell_len``), so CJK and
emoji count two cells. Every helper returns lines no wider than asked. (The
Markdown inside a slide is laid out by :mod:`slidekit.render.glamour`.)
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style as RichStyle
from rich.text import Text


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


def pad(line: Text, width: int, style: RichStyle | None) -> Text:
    """``line`` padded with spaces (in ``style``) to exactly ``width`` cells."""
    missing = width - width_of(line)
    if missing <= 0:
        return line
    out = line.copy()
    out.append(" " * missing, style=style)
    return out
