"""The footer line: author and date on the left, indicators and paging on the right.

When the line is too narrow, it gives way in this order: the author/date part is
shortened (with …) and then dropped, then the indicators (scroll, cut, Docker badge)
are shortened and dropped; the slide number always stays.
"""

from __future__ import annotations

import datetime as _dt

from rich.cells import cell_len
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.deck.meta import footer_parts
from slidekit.render.layout import crop, pad
from slidekit.render.style import clean, to_rich
from slidekit.theme.schema import Theme

GAP = "  "


def shorten(text: str, room: int) -> str:
    """``text`` in at most ``room`` cells, ending in … when cut; '' when not even one
    character and the … fit."""
    if cell_len(text) <= room:
        return text
    if room < 2:
        return ""
    return crop(Text(text), room - 1).plain.rstrip() + "…"


def footer_text(left: str, extra: str, paging: str, room: int) -> str:
    """The footer's text in ``room`` cells: paging right-aligned and always kept."""
    paging = crop(Text(paging), room).plain
    room_right = room - cell_len(paging)
    extra = shorten(extra, room_right - cell_len(GAP)) if extra else ""
    right = GAP.join(p for p in (extra, paging) if p)
    left = shorten(left, room - cell_len(right) - cell_len(GAP)) if left else ""
    gap = max(room - cell_len(left) - cell_len(right), 0)
    return left + " " * gap + right


def render_footer(deck: m.Deck, index: int, width: int, theme: Theme, *, extra: str = "",
                  today: _dt.date | None = None) -> Text:
    """One line: author and date on the left, ``extra`` and paging on the right."""
    width = max(width, 1)
    author, date, paging = footer_parts(deck.meta, index + 1, len(deck.slides), today)
    left = GAP.join(clean(p) for p in (author, date) if p)
    doc = theme.get("document")
    style = to_rich(doc) + RichStyle(dim=True)
    margin = min(doc.margin or 0, max((width - 1) // 2, 0))
    room = width - 2 * margin
    body = footer_text(left, clean(extra), clean(paging), room)
    line = crop(Text(" " * margin + body, style=style), width)
    return pad(line, width, to_rich(doc)) if doc.background_color else line
