"""Syntax highlighting of code blocks with Pygments, coloured by the theme's chroma map."""

from __future__ import annotations

from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import Style as PygmentsStyle
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.render.style import clean
from slidekit.theme.colors import pygments_style
from slidekit.theme.schema import Theme

TAB_SIZE = 4
_STYLES: dict[int, tuple[Theme, type[PygmentsStyle] | None]] = {}


@lru_cache(maxsize=64)
def lexer_for(lang: str) -> Lexer | None:
    """The Pygments lexer for a fence language (``dockerfile``, ``python``…); None = plain."""
    if not lang:
        return None
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False, tabsize=0)
    except ClassNotFound:
        return None


def style_for(theme: Theme) -> type[PygmentsStyle] | None:
    """The theme's code colours: its ``chroma`` map, else the stock style named by
    ``code_block.theme``, else None (no highlighting)."""
    cached = _STYLES.get(id(theme))
    if cached is not None and cached[0] is theme:
        return cached[1]
    block = theme.get("code_block")
    style: type[PygmentsStyle] | None = None
    if block.chroma:
        style = pygments_style(block.chroma, theme.name)
    elif block.theme:
        try:
            style = get_style_by_name(block.theme)
        except ClassNotFound:
            style = None
    _STYLES[id(theme)] = (theme, style)
    return style


@lru_cache(maxsize=2048)
def _token_style(style: type[PygmentsStyle], token: _TokenType) -> RichStyle:
    spec = style.style_for_token(token)
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
    lexer = lexer_for(lang)
    style = style_for(theme)
    if lexer is None or style is None:
        return [Text(line, style=base) for line in code.split("\n")]
    lines: list[Text] = [Text(style=base)]
    for token, value in lexer.get_tokens(code):
        token_style = _token_style(style, token)
        for i, piece in enumerate(value.split("\n")):
            if i:
                lines.append(Text(style=base))
            if piece:
                lines[-1].append(piece, style=token_style)
    # some lexers add a final newline of their own: keep exactly the source's lines
    return lines[: code.count("\n") + 1]
