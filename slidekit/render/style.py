"""glamour style values → rich styles, and text made safe for the terminal."""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style as RichStyle
from rich.text import Span, Text

from slidekit.sanitize import clean, is_clean
from slidekit.theme.colors import rich_color
from slidekit.theme.schema import Style


def clean_text(line: Text) -> Text:
    """A rich ``Text`` whose plain text is :func:`~slidekit.sanitize.clean`, each
    span's style kept on what remains of its characters (the terminal sink)."""
    if is_clean(line.plain):
        return line
    cuts = sorted({0, len(line.plain), *(s.start for s in line.spans), *(s.end for s in line.spans)})
    out = Text(style=line.style, end=line.end, justify=line.justify, no_wrap=line.no_wrap,
               overflow=line.overflow, tab_size=line.tab_size)
    for piece in line.divide(cuts[1:-1]):
        kept = clean(piece.plain)
        if kept:
            out.append_text(Text(kept, spans=[Span(0, len(kept), s.style) for s in piece.spans]))
    return out


def to_rich(style: Style) -> RichStyle:
    """The rich style of a glamour style (colours as ANSI indices or hex)."""
    return _to_rich(
        style.color, style.background_color, style.bold, style.italic, style.underline,
        style.crossed_out, style.faint, style.inverse, style.blink, style.conceal, style.overlined,
    )


@lru_cache(maxsize=1024)
def _to_rich(color: str | None, bg: str | None, bold: bool | None, italic: bool | None,
             underline: bool | None, strike: bool | None, dim: bool | None, reverse: bool | None,
             blink: bool | None, conceal: bool | None, overline: bool | None) -> RichStyle:
    return RichStyle(
        color=rich_color(color), bgcolor=rich_color(bg), bold=bold, italic=italic,
        underline=underline, strike=strike, dim=dim, reverse=reverse, blink=blink,
        conceal=conceal, overline=overline,
    )


def screen_fill(document: Style) -> RichStyle | None:
    """The style that paints the screen outside the slide's text: the document's colours,
    when the theme gives the document a background (None: the terminal's own)."""
    if not document.background_color:
        return None
    return to_rich(Style(color=document.color, background_color=document.background_color))
