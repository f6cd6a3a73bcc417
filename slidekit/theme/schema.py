"""glamour's JSON style schema, as data.

A theme file is a mapping from element names (``document``, ``h1``,
``code_block``…) to style objects. Every element uses a subset of one flat
field set; :data:`ELEMENTS` says which subset, mirroring glamour's
StylePrimitive / StyleBlock / StyleList / StyleTask / StyleTable /
StyleCodeBlock types. Parsing is lenient like glamour's (unknown keys are
reported as warnings, never fatal), but wrong *types* are errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from slidekit.theme.palette import parse_palette

PRIMITIVE = frozenset(
    {
        "block_prefix", "block_suffix", "prefix", "suffix", "color", "background_color",
        "underline", "bold", "upper", "lower", "title", "italic", "crossed_out", "faint",
        "conceal", "overlined", "inverse", "blink", "format",
    }
)
BLOCK = PRIMITIVE | {"indent", "indent_token", "margin"}
LIST = BLOCK | {"level_indent"}
TASK = PRIMITIVE | {"ticked", "unticked"}
TABLE = BLOCK | {"center_separator", "column_separator", "row_separator"}
CODE_BLOCK = BLOCK | {"theme", "chroma"}

#: slidekit's top-level extension key (glamour ignores unknown top-level keys)
PALETTE_KEY = "palette"

#: element name -> the fields glamour reads for it
ELEMENTS: dict[str, frozenset[str]] = {
    "document": BLOCK, "block_quote": BLOCK, "paragraph": BLOCK, "list": LIST,
    "heading": BLOCK, "h1": BLOCK, "h2": BLOCK, "h3": BLOCK, "h4": BLOCK, "h5": BLOCK, "h6": BLOCK,
    "text": PRIMITIVE, "strikethrough": PRIMITIVE, "emph": PRIMITIVE, "strong": PRIMITIVE,
    "hr": PRIMITIVE, "item": PRIMITIVE, "enumeration": PRIMITIVE, "task": TASK,
    "link": PRIMITIVE, "link_text": PRIMITIVE, "image": PRIMITIVE, "image_text": PRIMITIVE,
    "code": BLOCK, "code_block": CODE_BLOCK, "table": TABLE,
    "definition_list": BLOCK, "definition_term": PRIMITIVE, "definition_description": PRIMITIVE,
    "html_block": BLOCK, "html_span": BLOCK,
}

#: glamour's chroma sub-keys (each a primitive; colour, background, bold, italic, underline used)
CHROMA_KEYS = (
    "text", "error", "comment", "comment_preproc", "keyword", "keyword_reserved",
    "keyword_namespace", "keyword_type", "operator", "punctuation", "name", "name_builtin",
    "name_tag", "name_attribute", "name_class", "name_constant", "name_decorator",
    "name_exception", "name_function", "name_other", "literal", "literal_number",
    "literal_date", "literal_string", "literal_string_escape", "generic_deleted",
    "generic_emph", "generic_inserted", "generic_strong", "generic_subheading", "background",
)

_BOOLS = frozenset(
    {"underline", "bold", "upper", "lower", "title", "italic", "crossed_out", "faint",
     "conceal", "overlined", "inverse", "blink"}
)
_UINTS = frozenset({"indent", "margin", "level_indent"})
#: the largest indent/margin a theme may ask for (columns); bigger ones only exhaust memory
MAX_SPACING = 200


@dataclass(frozen=True)
class Style:
    """One element's style; None means "not set" (inherit or default)."""

    block_prefix: str | None = None
    block_suffix: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    color: str | None = None
    background_color: str | None = None
    underline: bool | None = None
    bold: bool | None = None
    upper: bool | None = None
    lower: bool | None = None
    title: bool | None = None
    italic: bool | None = None
    crossed_out: bool | None = None
    faint: bool | None = None
    conceal: bool | None = None
    overlined: bool | None = None
    inverse: bool | None = None
    blink: bool | None = None
    format: str | None = None
    indent: int | None = None
    indent_token: str | None = None
    margin: int | None = None
    level_indent: int | None = None
    ticked: str | None = None
    unticked: str | None = None
    center_separator: str | None = None
    column_separator: str | None = None
    row_separator: str | None = None
    theme: str | None = None
    chroma: Mapping[str, Style] | None = None


@dataclass(frozen=True)
class Theme:
    """A parsed glamour theme; ``name`` is where it came from, for messages."""

    name: str
    elements: Mapping[str, Style] = field(default_factory=dict)
    #: slidekit's extension: pinned xterm 256/16-colour values for hex colours
    #: (``{(r, g, b): {"256": 234, "standard": 0}}``; see :mod:`slidekit.theme.palette`)
    palette: Mapping[tuple[int, int, int], Mapping[str, int]] = field(default_factory=dict)

    def get(self, element: str) -> Style:
        return self.elements.get(element, Style())

    @property
    def chroma(self) -> Mapping[str, Style]:
        return self.get("code_block").chroma or {}


class SchemaError(ValueError):
    """A theme value has the wrong type (``where`` is the JSON path)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


def parse_theme(data: object, name: str) -> tuple[Theme, list[str]]:
    """Validate a decoded JSON theme; returns the theme and warnings for unknown keys."""
    if not isinstance(data, dict):
        raise SchemaError("(top)", "a theme must be a JSON object")
    warnings: list[str] = []
    elements: dict[str, Style] = {}
    palette: dict[tuple[int, int, int], dict[str, int]] = {}
    for element, value in data.items():
        if element == PALETTE_KEY:
            palette = parse_palette(value, warnings)
            continue
        allowed = ELEMENTS.get(element)
        if allowed is None:
            warnings.append(f"unknown element `{element}` (ignored)")
            continue
        elements[element] = _parse_style(value, element, allowed, warnings)
    return Theme(name, elements, palette), warnings


def _parse_style(value: object, where: str, allowed: frozenset[str], warnings: list[str]) -> Style:
    if not isinstance(value, dict):
        raise SchemaError(where, "expected an object")
    kwargs: dict[str, object] = {}
    for key, item in value.items():
        if key not in allowed:
            warnings.append(f"`{where}.{key}` is not a field glamour reads for `{where}` (ignored)")
            continue
        kwargs[key] = _parse_field(key, item, f"{where}.{key}", warnings)
    return Style(**kwargs)  # type: ignore[arg-type]  # each field checked by _parse_field


def _parse_field(key: str, item: object, where: str, warnings: list[str]) -> object:
    if item is None:
        return None
    if key == "chroma":
        if not isinstance(item, dict):
            raise SchemaError(where, "expected an object")
        chroma: dict[str, Style] = {}
        for ck, cv in item.items():
            if ck not in CHROMA_KEYS:
                warnings.append(f"unknown chroma key `{where}.{ck}` (ignored)")
                continue
            chroma[ck] = _parse_style(cv, f"{where}.{ck}", PRIMITIVE, warnings)
        return chroma
    if key in _BOOLS:
        if not isinstance(item, bool):
            raise SchemaError(where, "expected true or false")
        return item
    if key in _UINTS:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= MAX_SPACING:
            raise SchemaError(where, f"expected a whole number from 0 to {MAX_SPACING}")
        return item
    if not isinstance(item, str):
        raise SchemaError(where, "expected a string")
    if key in ("color", "background_color") and any(c.isdigit() and not c.isascii() for c in item):
        raise SchemaError(where, f"{item!r} is not a colour (ANSI indices are written with the digits 0-9)")
    if key in ("color", "background_color") and item.strip() and not _is_colour(item):
        warnings.append(f"`{where}`: {item!r} is not a colour (ignored)")
    return item


def _is_colour(value: str) -> bool:
    """Does :func:`slidekit.theme.colors.to_hex` understand ``value`` (an ANSI
    index 0-255, ``#rgb``, ``#rrggbb`` or a colour name)?"""
    # boundary: rich loads when a theme is read, not wherever slidekit.theme is imported (a warm verify)
    from rich.color import Color, ColorParseError  # noqa: PLC0415 - boundary, see above

    value = value.strip()
    if value.isascii() and value.isdigit():
        return int(value) <= 255
    if value.startswith("#") and len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True
