"""glamour style values → rich styles, and text made safe for the terminal."""

from __future__ import annotations

import re
from functools import lru_cache

from rich.style import Style as RichStyle

from slidekit.theme.colors import rich_color
from slidekit.theme.schema import Style

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0 controls except tab and newline, plus DEL: never sent to the terminal raw
_CONTROLS = dict.fromkeys((*range(9), *range(11, 32), 127))


def clean(text: str) -> str:
    """``text`` without ANSI escape sequences or control characters (tabs/newlines kept)."""
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return text.translate(_CONTROLS)


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
