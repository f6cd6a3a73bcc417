"""glamour style values → rich styles, text transforms and ``format`` templates."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from functools import lru_cache

from rich.style import Style as RichStyle
from rich.text import Span, Text

from slidekit.sanitize import clean, is_clean
from slidekit.theme.colors import rich_color
from slidekit.theme.schema import Style

_PLACEHOLDER = re.compile(r"\{\{\s*\.text\s*\}\}")
_MERGE_FIELDS = tuple(f.name for f in fields(Style))


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


def merge(base: Style, over: Style) -> Style:
    """``base`` with every field ``over`` sets replaced (``heading`` + ``h2``)."""
    changes = {name: getattr(over, name) for name in _MERGE_FIELDS if getattr(over, name) is not None}
    return replace(base, **changes) if changes else base


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


def transform(text: str, style: Style) -> str:
    """Apply ``upper``/``lower``/``title`` (in glamour's order of precedence)."""
    if style.upper:
        return text.upper()
    if style.lower:
        return text.lower()
    if style.title:
        return text.title()
    return text


def leaf(text: str, style: Style) -> Text:
    """A run of visible text in ``style`` (cleaned and transformed)."""
    return Text(transform(clean(text), style), style=to_rich(style))


def decorate(inner: Text, style: Style, *, block_affixes: bool = True) -> Text:
    """Wrap ``inner`` with the style's ``format``, ``prefix``/``suffix`` and (for
    inline primitives) ``block_prefix``/``block_suffix``, all in ``style``.

    A ``format`` with a ``{{.text}}`` placeholder keeps ``inner``'s own styling
    around the placeholder; a format without one replaces the text.
    """
    rich_style = to_rich(style)
    if style.format is not None:
        inner = apply_format(style.format, inner, rich_style)
    pairs = [(style.prefix, style.suffix)]
    if block_affixes:
        pairs.append((style.block_prefix, style.block_suffix))
    for before, after in pairs:
        if before or after:
            out = Text(clean(before or ""), style=rich_style)
            out.append_text(inner)
            out.append(clean(after or ""), style=rich_style)
            inner = out
    return inner


def apply_format(fmt: str, inner: Text, rich_style: RichStyle) -> Text:
    """glamour's Go-template ``format`` reduced to its one variable, ``{{.text}}``."""
    parts = _PLACEHOLDER.split(clean(fmt))
    if len(parts) == 1:
        return Text(parts[0], style=rich_style)
    out = Text(style=rich_style)
    for i, part in enumerate(parts):
        if i:
            out.append_text(inner)
        out.append(part, style=rich_style)
    return out
