"""Code blocks for the terminal: the highlighting service's token lines as rich Texts."""

from __future__ import annotations

from typing import Any

from pygments.style import Style as PygmentsStyle
from pygments.token import _TokenType
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.highlight.styles import style_for, token_style
from slidekit.highlight.tokens import tokenize
from slidekit.render.style import clean
from slidekit.theme.schema import Theme

TAB_SIZE = 4
_RICH: dict[tuple[type[PygmentsStyle], _TokenType], RichStyle] = {}


def _rich_style(style: type[PygmentsStyle], token: _TokenType) -> RichStyle:
    found = _RICH.get((style, token))
    if found is None:
        found = _RICH[(style, token)] = _to_rich(token_style(style, token))
    return found


def _to_rich(spec: dict[str, Any]) -> RichStyle:
    return RichStyle(
        color=f"#{spec['color']}" if spec["color"] else None,
        bgcolor=f"#{spec['bgcolor']}" if spec["bgcolor"] else None,
        bold=spec["bold"] or None,
        italic=spec["italic"] or None,
        underline=spec["underline"] or None,
    )


def highlight(code: str, lang: str, theme: Theme, base: RichStyle) -> list[Text]:
    """``code`` as one Text per source line, tokens coloured; ``base`` underneath."""
    code = clean(code.expandtabs(TAB_SIZE)).rstrip("\n")
    style = style_for(theme)
    if style is None:
        return [Text(line, style=base) for line in code.split("\n")]
    out: list[Text] = []
    for runs in tokenize(code, lang):
        line = Text(style=base)
        for token, piece in runs:
            line.append(piece, style=_rich_style(style, token))
        out.append(line)
    return out

