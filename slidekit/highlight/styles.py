"""Token styles: a theme's Pygments style, and token types resolved up the type tree."""

from __future__ import annotations

from typing import Any

from pygments.style import Style as PygmentsStyle
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound

from slidekit.theme.colors import pygments_style
from slidekit.theme.schema import Theme

_STYLES: dict[int, tuple[Theme, type[PygmentsStyle] | None]] = {}
#: (style, token type) -> the resolved rule (a style class lives as long as its theme)
_RULES: dict[tuple[type[PygmentsStyle], _TokenType], dict[str, Any]] = {}


def style_for(theme: Theme) -> type[PygmentsStyle] | None:
    """The theme's code colours: its ``chroma`` map, else the stock Pygments style named by
    ``code_block.theme``, else None (no highlighting). Cached per theme object."""
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


def token_style(style: type[PygmentsStyle], token: _TokenType) -> dict[str, Any]:
    """``style``'s rule for ``token``: a Pygments style knows only the token types it was
    built with, so an unknown type (YAML's ``Literal.Scalar.Plain``) takes its nearest
    known ancestor's rule, as rich does."""
    key = (style, token)
    found = _RULES.get(key)
    if found is None:
        while not style.styles_token(token) and token.parent is not None:
            token = token.parent
        found = _RULES[key] = dict(style.style_for_token(token))
    return found
