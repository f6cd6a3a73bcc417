"""glamour colour strings ("252", "#9fc", "#002b36") → hex, and chroma → Pygments."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from pygments.style import Style as PygmentsStyle
from pygments.token import (
    Comment, Error, Generic, Keyword, Literal, Name, Number, Operator, Punctuation, String,
    Text, Token, _TokenType,
)
from rich.color import Color, ColorParseError

from slidekit.theme.schema import Style

#: glamour chroma key -> Pygments token type (Chroma's token names follow Pygments')
CHROMA_TOKENS: dict[str, _TokenType] = {
    "text": Text,
    "error": Error,
    "comment": Comment,
    "comment_preproc": Comment.Preproc,
    "keyword": Keyword,
    "keyword_reserved": Keyword.Reserved,
    "keyword_namespace": Keyword.Namespace,
    "keyword_type": Keyword.Type,
    "operator": Operator,
    "punctuation": Punctuation,
    "name": Name,
    "name_builtin": Name.Builtin,
    "name_tag": Name.Tag,
    "name_attribute": Name.Attribute,
    "name_class": Name.Class,
    "name_constant": Name.Constant,
    "name_decorator": Name.Decorator,
    "name_exception": Name.Exception,
    "name_function": Name.Function,
    "name_other": Name.Other,
    "literal": Literal,
    "literal_number": Number,
    "literal_date": Literal.Date,
    "literal_string": String,
    "literal_string_escape": String.Escape,
    "generic_deleted": Generic.Deleted,
    "generic_emph": Generic.Emph,
    "generic_inserted": Generic.Inserted,
    "generic_strong": Generic.Strong,
    "generic_subheading": Generic.Subheading,
}


@lru_cache(maxsize=512)
def to_hex(value: str | None) -> str | None:
    """A glamour colour as ``#rrggbb``; None for unset or unparseable values."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        number = int(value)
        if not 0 <= number <= 255:
            return None
        color = Color.parse(f"color({number})")
    else:
        if value.startswith("#") and len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        try:
            color = Color.parse(value)
        except ColorParseError:
            return None
    return color.get_truecolor().hex


def rich_color(value: str | None) -> str | None:
    """A colour string rich understands (ANSI indices stay indices, so NO colour
    downgrading surprises: "252" stays xterm colour 252)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return f"color({value})" if 0 <= int(value) <= 255 else None
    return to_hex(value)


def pygments_rules(chroma: Mapping[str, Style]) -> dict[_TokenType, str]:
    """Pygments style rules ("bold #268bd2 bg:#002b36") from a chroma map."""
    rules: dict[_TokenType, str] = {}
    for key, style in chroma.items():
        token = CHROMA_TOKENS.get(key)
        if token is None:
            continue
        parts: list[str] = []
        if style.bold:
            parts.append("bold")
        if style.italic:
            parts.append("italic")
        if style.underline:
            parts.append("underline")
        fg = to_hex(style.color)
        if fg:
            parts.append(fg)
        bg = to_hex(style.background_color)
        if bg:
            parts.append(f"bg:{bg}")
        if parts:
            rules[token] = " ".join(parts)
    return rules


def pygments_style(chroma: Mapping[str, Style], name: str = "slidekit") -> type[PygmentsStyle]:
    """A Pygments Style class equivalent to a glamour ``chroma`` map."""
    background = chroma.get("background")
    bg = to_hex(background.background_color if background else None)
    attrs = {
        "styles": {Token: "", **pygments_rules(chroma)},
        "background_color": bg or "",
        "name": name,
    }
    return type(f"Glamour_{name}", (PygmentsStyle,), attrs)
