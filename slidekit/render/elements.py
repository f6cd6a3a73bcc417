"""glamour's inline elements and style rules, on styled cell streams.

The facts of charmbracelet/glamour's ``ansi`` package (not its code): how styles
cascade (:func:`cascade`), what glamour's ``renderText`` draws (colours, bold,
italic, underline, strikethrough, inverse, blink), how a text, emphasis, code
span, link (its text, then its URL), autolink, image and emoji is written, and
how links inside tables become numbered references. Block elements are in
:mod:`slidekit.render.glamour`, tables in :mod:`slidekit.render.table`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from rich._emoji_codes import EMOJI
from rich.cells import cell_len
from rich.style import Style as RichStyle

from slidekit.deck import model as m
from slidekit.render import cells as c
from slidekit.render.cells import Buf, Cell
from slidekit.render.style import clean, to_rich
from slidekit.theme.schema import Style, Theme

_ATTRS = ("color", "background_color", "underline", "bold", "upper", "title", "lower", "italic",
          "crossed_out", "faint", "conceal", "inverse", "blink", "overlined")
_AFFIXES = ("block_prefix", "block_suffix", "prefix", "suffix")
_PLACEHOLDER = re.compile(r"\{\{\s*\.text\s*\}\}")
_TAGS = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_EMOJI = re.compile(r":([a-z0-9_+\-]+):")
_AUTOLINK = re.compile(r"(?<![\w/])(?:https?://|www\.)[^\s<]*[^\s<?!.,:*_~\"')\]]"
                       r"|(?<![\w.+-])[\w.+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[A-Za-z0-9]+(?![\w@-])")

EMPTY = Style()


# --------------------------------------------------------------------------- styles


def _set(value: object) -> bool:
    return value is not None and value != ""


def cascade(parent: Style, child: Style, to_block: bool = False) -> Style:
    """glamour's cascadeStyle: colours and attributes from ``parent`` unless
    ``child`` sets them; with ``to_block`` also the affixes, indent and margin
    (the child's margin is then ignored, as in glamour)."""
    changes: dict[str, Any] = {}
    for name in _ATTRS:
        if getattr(child, name) is None:
            changes[name] = getattr(parent, name)
    if to_block:
        for name in _AFFIXES:
            if not _set(getattr(child, name)):
                changes[name] = getattr(parent, name)
        if child.indent is None:
            changes["indent"] = parent.indent
        changes["margin"] = parent.margin
    return replace(child, **changes) if changes else child


def cascade_all(*styles: Style) -> Style:
    out = EMPTY
    for style in styles:
        out = cascade(out, style, True)
    return out


@lru_cache(maxsize=2048)
def rich_of(style: Style) -> RichStyle | None:
    """What glamour's renderText draws of a style."""
    drawn = replace(style, faint=None, conceal=None, overlined=None)
    out = to_rich(drawn)
    return out or None


def _transform(text: str, style: Style) -> str:
    if style.upper:
        text = text.upper()
    if style.lower:
        text = text.lower()
    if style.title:
        text = text.title()
    return text


def render_text(out: Buf, style: Style, text: str | None) -> None:
    if text:
        out.write(_transform(clean(text), style), rich_of(style))


def _format(fmt: str | None, token: str) -> str:
    if not fmt:
        return token
    return _PLACEHOLDER.sub(lambda _m: token, fmt)


# --------------------------------------------------------------------------- context


@dataclass
class TableLink:
    href: str
    content: str
    kind: str  # "auto", "image", "regular"


@dataclass
class Ctx:
    theme: Theme
    word_wrap: int
    stack: list[Style] = field(default_factory=list)
    inline_table_links: bool = False
    table_wrap: bool = True
    in_table: bool = False
    table_links: list[TableLink] = field(default_factory=list)
    table_images: list[TableLink] = field(default_factory=list)
    list_depth: int = 0
    #: glamour's exact output: code colours as chroma's terminal256 formatter picks them and
    #: nothing under the code; else the theme's exact colours over the enclosing background
    exact: bool = False
    #: None while inside a guarded block (only top-level blocks fall back)
    fallbacks: list[Fallback] | None = None
    #: the slide view's continuation mark for folded code rows (:mod:`slidekit.render.codewrap`);
    #: None folds nothing (glamour's own output)
    wrap_mark: str | None = None

    def s(self, element: str) -> Style:
        return self.theme.get(element)

    @property
    def current(self) -> Style:
        return self.stack[-1] if self.stack else EMPTY

    @property
    def parent(self) -> Style:
        return self.stack[-2] if len(self.stack) > 1 else EMPTY

    def width(self) -> int:
        indent = sum(s.indent or 0 for s in self.stack)
        margin = sum(s.margin or 0 for s in self.stack)
        return max(self.word_wrap - indent - 2 * margin, 0)

    def with_(self, child: Style) -> Style:
        return cascade(self.current, child, False)


# --------------------------------------------------------------------------- inline elements


def base_render(out: Buf, ctx: Ctx, token: str, style: Style, *, prefix: str = "", suffix: str = "",
                override: Style | None = None, inner: list[Cell] | None = None) -> None:
    """glamour's BaseElement: element prefix, block prefix, styled prefix, the
    (formatted) token, then the suffixes in reverse order."""
    st1 = ctx.current
    st2 = ctx.with_(style)
    if override is not None:
        st1 = cascade_all(st1, override)
        st2 = cascade_all(st2, override)
    render_text(out, st1, prefix)
    render_text(out, st1, st2.block_prefix)
    render_text(out, st2, st2.prefix)
    if inner is not None:
        out.extend(c.restyle(inner, rich_of(st2)))
    else:
        render_text(out, st2, _format(st2.format, token))
    render_text(out, st2, st2.suffix)
    render_text(out, st1, st2.block_suffix)
    render_text(out, st1, suffix)


def _emoji(name: str) -> str | None:
    char = EMOJI.get(name)
    if char is None:
        return None
    return char + "\ufe0f" if len(char) == 1 and cell_len(char) == 1 else char


def _split_text(text: str) -> list[object]:
    """A text node with GFM autolinks (bare http(s):// and www. URLs) made links."""
    out: list[object] = []
    last = 0
    for match in _AUTOLINK.finditer(text):
        url = match.group(0)
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1]
        if match.start() > last:
            out.append(m.Text(text[last:match.start()]))
        if "@" in url and "://" not in url:
            out.append(Autolink("mailto:" + url, url, email=True))
        else:
            out.append(Autolink(url if "://" in url else "http://" + url, url))
        last = match.start() + len(url)
    if last < len(text):
        out.append(m.Text(text[last:]))
    return out


@dataclass(frozen=True)
class Autolink:
    """An autolink: ``<https://...>`` or a bare URL (GFM)."""

    href: str
    text: str
    email: bool = False


def _is_autolink(node: m.Link) -> bool:
    label = m.plain_text(node.children)
    return bool(label) and (label == node.href or node.href == "mailto:" + label)


def prepare(nodes: tuple[m.Inline, ...]) -> list[object]:
    out: list[object] = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.extend(_split_text(node.text))
        elif isinstance(node, m.Link) and _is_autolink(node):
            label = m.plain_text(node.children)
            out.append(Autolink(node.href, label, email=node.href == "mailto:" + label))
        else:
            out.append(node)
    return out


def render_inlines(out: Buf, ctx: Ctx, nodes: tuple[m.Inline, ...] | list[object],
                   override: Style | None = None) -> None:
    items = prepare(nodes) if isinstance(nodes, tuple) else nodes
    for node in items:
        renderer = _INLINE.get(type(node))
        if renderer is not None:
            renderer(out, ctx, node, override)


def _text(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, m.Text)
    text = node.text
    last = 0
    for match in _EMOJI.finditer(text):
        char = _emoji(match.group(1))
        if char is None:
            continue
        if match.start() > last:
            base_render(out, ctx, text[last:match.start()], ctx.s("text"), override=override)
        base_render(out, ctx, char, EMPTY, override=override)
        last = match.end()
    if last < len(text):
        base_render(out, ctx, text[last:], ctx.s("text"), override=override)


def _break(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    base_render(out, ctx, "\n", ctx.s("text"), override=override)


def _emphasis(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, (m.Emph, m.Strong))
    style = ctx.s("strong" if isinstance(node, m.Strong) else "emph")
    if override is not None:
        style = cascade_all(style, override)
    for child in prepare(node.children):
        if isinstance(child, (m.Text, m.SoftBreak, m.HardBreak, m.Emph, m.Strong, m.Strike, m.HtmlInline)):
            _INLINE[type(child)](out, ctx, child, style)
        else:
            renderer = _INLINE.get(type(child))
            if renderer is not None:
                renderer(out, ctx, child, None)


def _strike(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, m.Strike)
    base_render(out, ctx, m.plain_text(node.children), ctx.s("strikethrough"), override=override)


def _code(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, m.CodeSpan)
    style = cascade(ctx.current, ctx.s("code"), False)
    render_text(out, style, (style.prefix or "") + node.text + (style.suffix or ""))


def _html(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, m.HtmlInline)
    base_render(out, ctx, sanitize_html(node.raw), ctx.s("html_span"), override=override)


def sanitize_html(raw: str) -> str:
    """What bluemonday's strict policy leaves of HTML: its text."""
    return html.unescape(_TAGS.sub("", raw)).strip()


def _valid_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return "#" + parts.fragment != url


def link_domain(href: str) -> str:
    try:
        return urlsplit(href).hostname or ""
    except ValueError:
        return "link"


def _suffixed(link: TableLink, links: list[TableLink]) -> str:
    for i, other in enumerate(links):
        if other == link:
            return f"{link.content}[{i + 1}]"
    return link.content


def _link_text_part(out: Buf, ctx: Ctx, children: list[object]) -> None:
    link_text = ctx.s("link_text")
    for child in children:
        if isinstance(child, (m.Text, m.SoftBreak, m.HardBreak, m.Emph, m.Strong, m.Strike, m.HtmlInline)):
            _INLINE[type(child)](out, ctx, child, link_text)
        else:
            inner = Buf()
            renderer = _INLINE.get(type(child))
            if renderer is not None:
                renderer(inner, ctx, child, None)
            base_render(out, ctx, "", link_text, inner=inner.cells)


def _href_part(out: Buf, ctx: Ctx, url: str, *, skip_text: bool) -> None:
    if _valid_url(url):
        base_render(out, ctx, _resolve(url), ctx.s("link"), prefix="" if skip_text else " ")


def _resolve(url: str) -> str:
    try:
        absolute = bool(urlsplit(url).scheme)
    except ValueError:
        return url
    return url if absolute else url.lstrip("/")


def _link(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, m.Link)
    if ctx.in_table and not ctx.inline_table_links:
        link = TableLink(node.href, node_content(node.children), "regular")
        text = m.Text(_suffixed(link, ctx.table_links))
        _link_text_part(out, ctx, [text])
        return
    _link_text_part(out, ctx, prepare(node.children))
    _href_part(out, ctx, node.href, skip_text=False)


def _auto(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, Autolink)
    url = node.href
    if ctx.in_table and not ctx.inline_table_links:
        content = autolink_label(url) or link_domain(url)
        _link_text_part(out, ctx, [m.Text(_suffixed(TableLink(url, content, "auto"), ctx.table_links))])
        return
    if node.email:
        _link_text_part(out, ctx, [m.Text(node.text)])
        return
    _href_part(out, ctx, url, skip_text=True)


def _image(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, m.Image)
    text = node.alt
    style = ctx.s("image_text")
    text_only = ctx.in_table and not ctx.inline_table_links
    if text_only:
        image = TableLink(node.src, text or link_domain(node.src), "image")
        text = _suffixed(image, ctx.table_images)
        if style.format and style.format.endswith(" →"):
            style = replace(style, format=style.format[: -len(" →")])
    if text:
        base_render(out, ctx, text, style)
    if text_only:
        return
    if node.src:
        base_render(out, ctx, _resolve(node.src), ctx.s("image"), prefix=" ")


def node_content(nodes: tuple[m.Inline, ...]) -> str:
    """The text of a link's children (glamour's nodeContent: text nodes only)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, (m.Text, m.CodeSpan)):
            parts.append(node.text)
        elif isinstance(node, (m.Emph, m.Strong, m.Strike, m.Link)):
            parts.append(node_content(node.children))
    return "".join(parts)


_GH = r"^https?://github\.com/([A-z0-9_-]+)/([A-z0-9_-]+)/"
_GITHUB_LINKS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(_GH + r"(issues?|pulls?|discussions?)/([0-9]+)$"), lambda g: f"{g[1]}/{g[2]}#{g[4]}"),
    (re.compile(_GH + r"(issues?|pulls?|discussions?)/([0-9]+)#issuecomment-[0-9]+$"),
     lambda g: f"{g[1]}/{g[2]}#{g[4]} (comment)"),
    (re.compile(_GH + r"pulls?/([0-9]+)#discussion_r[0-9]+$"), lambda g: f"{g[1]}/{g[2]}#{g[3]} (comment)"),
    (re.compile(_GH + r"pulls?/([0-9]+)#pullrequestreview-[0-9]+$"), lambda g: f"{g[1]}/{g[2]}#{g[3]} (review)"),
    (re.compile(_GH + r"discussions/([0-9]+)#discussioncomment-[0-9]+$"),
     lambda g: f"{g[1]}/{g[2]}#{g[3]} (comment)"),
    (re.compile(_GH + r"commit/([A-z0-9]{7,})(#.*)?$"), lambda g: f"{g[1]}/{g[2]}@{g[3][:7]}"),
    (re.compile(_GH + r"pulls?/[0-9]+/commits/([A-z0-9]{7,})(#.*)?$"), lambda g: f"{g[1]}/{g[2]}@{g[3][:7]}"),
)


def autolink_label(url: str) -> str | None:
    """glamour's short names for GitHub URLs (``owner/repo#123``)."""
    for pattern, label in _GITHUB_LINKS:
        match = pattern.match(url)
        if match:
            return label(match)
    return None


_INLINE: dict[type, Callable[[Buf, Ctx, object, Style | None], None]] = {
    m.Text: _text,
    m.SoftBreak: _break,
    m.HardBreak: _break,
    m.Emph: _emphasis,
    m.Strong: _emphasis,
    m.Strike: _strike,
    m.CodeSpan: _code,
    m.HtmlInline: _html,
    m.Link: _link,
    Autolink: _auto,
    m.Image: _image,
}


@dataclass(frozen=True)
class Fallback:
    """A block whose renderer raised: it was shown as its plain source instead."""

    block: m.Block
    line: int
    error: str
