"""A glamour theme → CSS for the HTML export (pure: theme in, stylesheet text out).

Each theme element maps to a CSS selector inside a slide (a dispatch table,
:data:`SELECTORS`); each style field maps to declarations. ANSI colour indices
become hex through :func:`slidekit.theme.colors.to_hex`, and the code colours
come from the theme's chroma map through Pygments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pygments.formatters import HtmlFormatter

from slidekit.theme.colors import pygments_style, to_hex
from slidekit.theme.schema import Style, Theme

#: glamour element → selector (scoped under a slide)
SELECTORS: dict[str, str] = {
    "paragraph": "p",
    "heading": "h1, h2, h3, h4, h5, h6",
    "h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6",
    "text": ".sk-body",
    "emph": "em",
    "strong": "strong",
    "strikethrough": "del",
    "link": "a",
    "link_text": "a",
    "image_text": ".sk-image-alt",
    "code": ":not(pre) > code",
    "block_quote": "blockquote",
    "hr": "hr",
    "item": "ul > li::marker",
    "enumeration": "ol > li::marker",
    "table": "table",
    "html_block": ".sk-raw",
    "html_span": ".sk-raw-inline",
}

_FLAGS: dict[str, Callable[[bool], str]] = {
    "bold": lambda on: f"font-weight: {'bold' if on else 'normal'}",
    "italic": lambda on: f"font-style: {'italic' if on else 'normal'}",
    "faint": lambda on: "opacity: .65" if on else "",
    "upper": lambda on: "text-transform: uppercase" if on else "",
    "lower": lambda on: "text-transform: lowercase" if on else "",
    "title": lambda on: "text-transform: capitalize" if on else "",
}


@dataclass(frozen=True)
class Palette:
    """The few colours the page chrome needs (background, text, accents)."""

    fg: str
    bg: str
    accent: str
    muted: str
    code_bg: str
    code_fg: str


def _decorations(style: Style) -> str:
    lines = [name for flag, name in (("underline", "underline"), ("crossed_out", "line-through"),
                                     ("overlined", "overline")) if getattr(style, flag)]
    return f"text-decoration: {' '.join(lines)}" if lines else ""


def declarations(style: Style) -> list[str]:
    """CSS declarations for one glamour style (colour, background, text attributes)."""
    out: list[str] = []
    fg, bg = to_hex(style.color), to_hex(style.background_color)
    if style.inverse:
        fg, bg = bg, fg
    if fg:
        out.append(f"color: {fg}")
    if bg:
        out.append(f"background-color: {bg}")
    for name, make in _FLAGS.items():
        value = getattr(style, name)
        if value is not None:
            decl = make(value)
            if decl:
                out.append(decl)
    deco = _decorations(style)
    if deco:
        out.append(deco)
    return out


def palette(theme: Theme) -> Palette:
    """Page colours; themes without colours (notty, ascii) get a neutral dark page."""
    doc = theme.get("document")
    fg = to_hex(doc.color) or to_hex(theme.get("text").color) or "#d0d0d0"
    bg = to_hex(doc.background_color) or ("#1c1c1c" if _dark(fg) is False else "#ffffff")
    accent = (to_hex(theme.get("h1").background_color) or to_hex(theme.get("heading").color)
              or to_hex(theme.get("link").color) or fg)
    chroma_bg = theme.chroma.get("background")
    block = theme.get("code_block")
    code_bg = (to_hex(chroma_bg.background_color) if chroma_bg else None) or to_hex(block.background_color) or bg
    code_fg = to_hex(block.color) or fg
    muted = to_hex(theme.get("hr").color) or to_hex(theme.get("block_quote").color) or fg
    return Palette(fg, bg, accent, muted, code_bg, code_fg)


def _dark(color: str) -> bool | None:
    """True when ``#rrggbb`` is dark (so its page is light)."""
    try:
        r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return None
    return (0.299 * r + 0.587 * g + 0.114 * b) < 128


def theme_css(theme: Theme) -> str:
    """The theme-specific stylesheet: custom properties plus element rules."""
    pal = palette(theme)
    rules = [
        ":root {"
        f" --sk-fg: {pal.fg}; --sk-bg: {pal.bg}; --sk-accent: {pal.accent};"
        f" --sk-muted: {pal.muted}; --sk-code-bg: {pal.code_bg}; --sk-code-fg: {pal.code_fg}; }}"
    ]
    for element, selector in SELECTORS.items():
        decls = declarations(theme.get(element))
        if element == "block_quote":
            color = to_hex(theme.get(element).color)
            if color:
                decls.append(f"border-left-color: {color}")
        if element == "hr":
            color = to_hex(theme.get(element).color)
            if color:
                decls = [f"border-top-color: {color}"]
        if decls:
            scoped = ", ".join(f".sk-slide {part.strip()}" for part in selector.split(","))
            rules.append(f"{scoped} {{ {'; '.join(decls)}; }}")
    heading_margin = theme.get("h1").background_color
    if heading_margin:
        rules.append(".sk-slide h1 { padding: 0 .35em; display: inline-block; }")
    rules.append(code_css(theme))
    return "\n".join(rules)


@lru_cache(maxsize=32)
def _code_css(chroma_key: tuple[tuple[str, tuple[tuple[str, object], ...]], ...], name: str) -> str:
    chroma = {key: Style(**dict(values)) for key, values in chroma_key}  # type: ignore[arg-type]  # fields of a Style
    formatter = HtmlFormatter(style=pygments_style(chroma, name), nowrap=True)
    return formatter.get_style_defs(".sk-code")


def code_css(theme: Theme) -> str:
    """Pygments token classes coloured from the theme's chroma map (``.sk-code .k`` …)."""
    key = tuple(
        (k, tuple((f, v) for f, v in vars(s).items() if v is not None))
        for k, s in sorted(theme.chroma.items())
    )
    return _code_css(key, "slidekit")
