"""Markdown blocks → styled cells, the way glamour's ANSI renderer lays them out.

This follows charmbracelet/glamour's ``ansi`` package element by element (the
facts, not the code): how styles cascade (:func:`cascade`), which element writes
which newline, block prefixes and suffixes, the word wrap and padding of block
elements, list markers, links followed by their URL, tables laid out as
lipgloss lays them out (:mod:`slidekit.render.table`), footer links of tables.
Only what glamour's ``renderText`` draws is drawn: colours, bold, italic,
underline, strikethrough, inverse, blink.

:func:`render_document` is the entry point; the slide view puts its result in a
frame, ``slidekit render --bare`` prints it as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from pygments.token import Text as PygmentsText
from rich._emoji_codes import EMOJI
from rich.cells import cell_len
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.render import cells as c
from slidekit.render.cells import Buf, Cell
from slidekit.render.code import highlight, style_for
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
_BLOCK_BREAKS = " ,.;-+|"
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
    #: code colours as chroma's terminal256 formatter picks them (glamour's own output)
    chroma_256: bool = False
    #: None while inside a guarded block (only top-level blocks fall back)
    fallbacks: list[Fallback] | None = None

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
            out.append(_Auto("mailto:" + url, url, email=True))
        else:
            out.append(_Auto(url if "://" in url else "http://" + url, url))
        last = match.start() + len(url)
    if last < len(text):
        out.append(m.Text(text[last:]))
    return out


@dataclass(frozen=True)
class _Auto:
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
            out.append(_Auto(node.href, label, email=node.href == "mailto:" + label))
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


def _link_domain(href: str) -> str:
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
        link = TableLink(node.href, _node_content(node.children), "regular")
        text = m.Text(_suffixed(link, ctx.table_links))
        _link_text_part(out, ctx, [text])
        return
    _link_text_part(out, ctx, prepare(node.children))
    _href_part(out, ctx, node.href, skip_text=False)


def _auto(out: Buf, ctx: Ctx, node: object, override: Style | None) -> None:
    assert isinstance(node, _Auto)
    url = node.href
    if ctx.in_table and not ctx.inline_table_links:
        content = autolink_label(url) or _link_domain(url)
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
        image = TableLink(node.src, text or _link_domain(node.src), "image")
        text = _suffixed(image, ctx.table_images)
        if style.format and style.format.endswith(" →"):
            style = replace(style, format=style.format[: -len(" →")])
    if text:
        base_render(out, ctx, text, style)
    if text_only:
        return
    if node.src:
        base_render(out, ctx, _resolve(node.src), ctx.s("image"), prefix=" ")


def _node_content(nodes: tuple[m.Inline, ...]) -> str:
    """The text of a link's children (glamour's nodeContent: text nodes only)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, (m.Text, m.CodeSpan)):
            parts.append(node.text)
        elif isinstance(node, (m.Emph, m.Strong, m.Strike, m.Link)):
            parts.append(_node_content(node.children))
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
    _Auto: _auto,
    m.Image: _image,
}


# --------------------------------------------------------------------------- block elements

#: (block, ctx, the enclosing block's buffer, first among its siblings) -> None
BlockRenderer = Callable[[m.Block, Ctx, Buf, bool], None]


@dataclass(frozen=True)
class Fallback:
    """A block whose renderer raised: it was shown as its plain source instead."""

    block: m.Block
    line: int
    error: str


def _finish_block(out: Buf, ctx: Ctx, own: Buf, *, newline: bool, breakpoints: str = _BLOCK_BREAKS) -> None:
    """BlockElement.Finish with a margin: wrap the block's buffer at its width,
    indent and pad it, then its suffixes; pops the block."""
    text = c.wrap(own.cells, ctx.width(), breakpoints)
    _close_block(out, ctx, text + [("\n", 0, None)] if newline else text, ctx.current.block_suffix)


def _close_block(out: Buf, ctx: Ctx, flow: list[Cell], block_suffix: str | None) -> None:
    """Write a block's wrapped text through its margin writer (indent tokens in
    the parent's style, lines padded to the width in its own), then its suffix
    and ``block_suffix``; pops the block."""
    style = ctx.current
    c.margin_write(out, flow, indent=(style.indent or 0) + (style.margin or 0),
                   token=style.indent_token if style.indent_token is not None else " ",
                   token_style=rich_of(ctx.parent), pad_to=ctx.width(), pad_style=rich_of(style))
    render_text(out, style, style.suffix)
    render_text(out, ctx.parent, block_suffix)
    ctx.stack.pop()


def _open_block(out: Buf, ctx: Ctx, style: Style, rules: Style) -> Buf:
    ctx.stack.append(style)
    render_text(out, ctx.parent, rules.block_prefix)
    own = Buf()
    render_text(own, ctx.current, rules.prefix)
    return own


def render_children(blocks: tuple[m.Block, ...], ctx: Ctx, out: Buf) -> None:
    first = True
    for block in blocks:
        if isinstance(block, m.Pause):
            continue
        render_block(block, ctx, out, first)
        first = False


def render_block(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    renderer = _BLOCKS.get(type(block))
    if renderer is None:
        return
    if ctx.fallbacks is None:  # nested inside a block that is already guarded
        renderer(block, ctx, out, first)
        return
    depth = len(ctx.stack)
    mark = len(out.cells)
    saved = ctx.fallbacks
    ctx.fallbacks = None
    try:
        renderer(block, ctx, out, first)
    except Exception as exc:  # noqa: BLE001 - a renderer bug must not take the slide down
        del out.cells[mark:]
        del ctx.stack[depth:]
        ctx.in_table = False
        saved.append(Fallback(block, block.span.first, f"{type(exc).__name__}: {exc}"))
        _plain_source(block, ctx, out, first, exc)
    finally:
        ctx.fallbacks = saved


def _plain_source(block: m.Block, ctx: Ctx, out: Buf, first: bool, exc: Exception) -> None:
    """A block whose renderer failed: its source, folded to the width, and a notice."""
    width = max(ctx.width(), 1)
    source = block_source(block)
    text = Buf()
    for source_line in source.split("\n"):
        text.write(clean(source_line.expandtabs(4)) or "")
        text.write("\n")
    text.write(f"[this block could not be rendered: {type(exc).__name__}]")
    lines = c.split(text.cells)
    folded: list[Cell] = []
    for line in lines:
        start = 0
        while True:
            chunk: list[Cell] = []
            used = 0
            while start < len(line) and used + line[start][1] <= width:
                chunk.append(line[start])
                used += line[start][1]
                start += 1
            folded.extend(chunk)
            folded.append(("\n", 0, None))
            if start >= len(line) or not chunk:
                break
    if not first:
        out.write("\n")
    out.extend(folded)


def block_source(block: m.Block) -> str:
    """The block's text as the deck wrote it (well enough for a fallback)."""
    if isinstance(block, m.CodeBlock):
        return block.code.rstrip("\n")
    if isinstance(block, m.CommandBlock):
        return block.body.rstrip("\n")
    if isinstance(block, m.HtmlBlock):
        return block.raw.rstrip("\n")
    if isinstance(block, (m.Paragraph, m.Heading)):
        return m.plain_text(block.inlines)
    if isinstance(block, m.BlockQuote):
        return "\n".join(block_source(b) for b in block.blocks)
    if isinstance(block, m.ListBlock):
        return "\n".join(block_source(b) for item in block.items for b in item.blocks)
    if isinstance(block, m.Table):
        rows = (block.header, *block.rows)
        return "\n".join(" | ".join(m.plain_text(cell) for cell in row) for row in rows)
    return ""


def _paragraph(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    assert isinstance(block, m.Paragraph)
    rules = ctx.s("paragraph")
    if not first:
        out.write("\n")
    own = _open_block(out, ctx, cascade(ctx.current, rules, False), rules)
    render_inlines(own, ctx, block.inlines)
    flow: list[Cell] = []
    if own.plain.strip():
        flat = [(" ", 1, s) if g == "\n" else (g, w, s) for g, w, s in own.cells]
        flow = [*c.wrap(flat, ctx.width(), ""), ("\n", 0, None)]
    _close_block(out, ctx, flow, rules.block_suffix)


def heading_rules(theme: Theme, level: int) -> Style:
    return cascade_all(theme.get("heading"), theme.get(f"h{min(max(level, 1), 6)}"))


def _heading(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    assert isinstance(block, m.Heading)
    rules = heading_rules(ctx.theme, block.level)
    if not first:
        render_text(out, ctx.current, "\n")
    own = _open_block(out, ctx, cascade(ctx.current, rules, False), rules)
    render_inlines(own, ctx, block.inlines)
    _close_block(out, ctx, c.wrap(own.cells, ctx.width(), ""), rules.block_suffix)


def _block_quote(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    assert isinstance(block, m.BlockQuote)
    out.write("\n")
    rules = ctx.s("block_quote")
    own = _open_block(out, ctx, cascade(ctx.current, rules, False), rules)
    render_children(block.blocks, ctx, own)
    _finish_block(out, ctx, own, newline=False)


def _list(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    assert isinstance(block, m.ListBlock)
    rules = ctx.s("list")
    style = replace(rules, indent=rules.indent or 0)
    if ctx.list_depth > 0:
        style = replace(style, indent=rules.level_indent or 0)
    out.write("\n")
    own = _open_block(out, ctx, cascade(ctx.current, style, False), style)
    ctx.list_depth += 1
    try:
        for index, item in enumerate(block.items):
            _item(block, item, index, ctx, own, last=index == len(block.items) - 1)
    finally:
        ctx.list_depth -= 1
    _finish_block(out, ctx, own, newline=True)


def _item(block: m.ListBlock, item: m.ListItem, index: int, ctx: Ctx, out: Buf, *, last: bool) -> None:
    if item.checked is not None:
        task = ctx.s("task")
        base_render(out, ctx, "", task, prefix=(task.ticked if item.checked else task.unticked) or "")
    elif block.ordered:
        base_render(out, ctx, "", ctx.s("enumeration"), prefix=str(block.start + index))
    else:
        base_render(out, ctx, "", ctx.s("item"))
    first = True
    for child in item.blocks:
        if isinstance(child, m.Paragraph):
            render_inlines(out, ctx, child.inlines)
        elif not isinstance(child, m.Pause):
            render_block(child, ctx, out, first)
        first = False
    ends_in_list = bool(item.blocks) and isinstance(item.blocks[-1], m.ListBlock)
    if not ends_in_list and not last:
        out.write("\n")


def _code_block(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    assert isinstance(block, (m.CodeBlock, m.CommandBlock))
    if isinstance(block, m.CommandBlock):
        if block.output is not None:
            _verbatim(block.output, ctx, out)
            return
        source = block.body if not block.body or block.body.endswith("\n") else block.body + "\n"
        code, lang = f"~~~{block.command}\n{source}~~~\n", ""
    else:
        code, lang = block.code, block.lang
    out.write("\n")
    rules = ctx.s("code_block")
    amount = (rules.indent or 0) + (rules.margin or 0)
    pad = rich_of(ctx.current)
    body = Buf()
    if rules.theme or rules.chroma:
        render_text(body, ctx.current, rules.block_prefix)
        rows = highlight(code.rstrip("\n"), lang, ctx.theme, _code_text_style(ctx.theme))
        for i, row in enumerate(rows):
            if i:
                body.write("\n")
            for span_text, span_style in _runs(row):
                token_style = _no_background(span_style)
                if ctx.chroma_256:
                    token_style = _indexed(token_style)
                body.write(span_text.expandtabs(4), token_style)
        if code.endswith("\n"):
            body.write("\n")
        render_text(body, ctx.current, rules.block_suffix)
    else:
        base_render(body, ctx, code, rules)
    c.margin_write(out, body.cells, indent=amount, token=" ", token_style=pad, pad_to=0, pad_style=None)


def _verbatim(output: str, ctx: Ctx, out: Buf) -> None:
    """Pre-processed output (a diagram): a code block whose lines are never
    re-wrapped or highlighted (a narrow screen cuts them)."""
    out.write("\n")
    rules = ctx.s("code_block")
    style = rich_of(cascade(ctx.current, _chroma_text(rules), False))
    body: list[Cell] = []
    for line in output.rstrip("\n").split("\n"):
        text = clean(line.expandtabs(4))
        if text:
            body.append((c.Verbatim(text), cell_len(text), style))
        body.append(("\n", 0, None))
    c.margin_write(out, body, indent=(rules.indent or 0) + (rules.margin or 0), token=" ",
                   token_style=rich_of(ctx.current), pad_to=0, pad_style=None)


def _chroma_text(rules: Style) -> Style:
    text = (rules.chroma or {}).get("text")
    return text if text is not None else EMPTY


def _runs(row: Text) -> list[tuple[str, RichStyle | None]]:
    """A rich Text as (text, style) runs."""
    plain = row.plain
    base = row.style if isinstance(row.style, RichStyle) else None
    styles: list[RichStyle | None] = [base] * len(plain)
    for span in row.spans:
        st = span.style if isinstance(span.style, RichStyle) else RichStyle.parse(str(span.style))
        for i in range(span.start, min(span.end, len(plain))):
            current = styles[i]
            styles[i] = st if current is None else current + st
    out: list[tuple[str, RichStyle | None]] = []
    start = 0
    for i in range(1, len(plain) + 1):
        if i == len(plain) or styles[i] != styles[start]:
            out.append((plain[start:i], styles[start]))
            start = i
    return out


def _code_text_style(theme: Theme) -> RichStyle:
    """The colour of plain text in the code theme (chroma colours every token,
    plain text included)."""
    style = style_for(theme)
    if style is None:
        return RichStyle()
    color = style.style_for_token(PygmentsText)["color"]
    return RichStyle(color=f"#{color}") if color else RichStyle()


def _xterm_palette() -> dict[tuple[int, int, int], int]:
    """The 256 xterm colours, rgb -> index (a colour listed twice keeps its last index)."""
    standard = ("000000", "800000", "008000", "808000", "000080", "800080", "008080", "c0c0c0",
                "808080", "ff0000", "00ff00", "ffff00", "0000ff", "ff00ff", "00ffff", "ffffff")
    levels = (0, 95, 135, 175, 215, 255)
    colours = [(int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)) for h in standard]
    colours += [(levels[r], levels[g], levels[b]) for r in range(6) for g in range(6) for b in range(6)]
    colours += [(8 + 10 * i, 8 + 10 * i, 8 + 10 * i) for i in range(24)]
    return {rgb: index for index, rgb in enumerate(colours)}


_XTERM = _xterm_palette()


@lru_cache(maxsize=1024)
def chroma_index(rgb: tuple[int, int, int]) -> int:
    """The xterm colour chroma's terminal256 formatter picks for ``rgb``: the
    nearest by its "redmean" distance."""
    def distance(other: tuple[int, int, int]) -> float:
        rmean = (rgb[0] + other[0]) // 2
        r, g, b = rgb[0] - other[0], rgb[1] - other[1], rgb[2] - other[2]
        return float((((512 + rmean) * r * r) >> 8) + 4 * g * g + (((767 - rmean) * b * b) >> 8)) ** 0.5

    best = min(_XTERM, key=distance)
    return _XTERM[best]


def _indexed(style: RichStyle | None) -> RichStyle | None:
    if style is None or style.color is None or style.color.triplet is None:
        return style
    index = chroma_index(tuple(style.color.triplet))
    return style + RichStyle(color=f"color({index})")


def _no_background(style: RichStyle | None) -> RichStyle | None:
    """chroma's terminal formatter colours tokens but never paints the style's
    background behind the code."""
    if style is None:
        return None
    return RichStyle(color=style.color, bold=style.bold, italic=style.italic,
                     underline=style.underline) or None


def _html_block(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    assert isinstance(block, m.HtmlBlock)
    base_render(out, ctx, sanitize_html(block.raw), ctx.s("html_block"))


def _hr(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    base_render(out, ctx, "", ctx.s("hr"))


def _table(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    assert isinstance(block, m.Table)
    from slidekit.render.table import render_table

    render_table(block, ctx, out)


_BLOCKS: dict[type, BlockRenderer] = {
    m.Heading: _heading,
    m.Paragraph: _paragraph,
    m.ListBlock: _list,
    m.BlockQuote: _block_quote,
    m.Table: _table,
    m.CodeBlock: _code_block,
    m.CommandBlock: _code_block,
    m.HtmlBlock: _html_block,
    m.ThematicBreak: _hr,
}


# --------------------------------------------------------------------------- the document


@dataclass
class Rendered:
    """A rendered document: its cells and the blocks that fell back to source."""

    cells: list[Cell]
    fallbacks: list[Fallback]


def render_document(blocks: tuple[m.Block, ...], theme: Theme, width: int, *,
                    table_wrap: bool = True, inline_table_links: bool = False,
                    chroma_256: bool = False) -> Rendered:
    """``blocks`` as glamour renders a document at word wrap ``width``;
    ``chroma_256``: code colours reduced to the xterm palette as glamour's
    highlighter does (else the theme's exact colours, for the terminal to show
    at its own depth)."""
    ctx = Ctx(theme, max(width, 0), inline_table_links=inline_table_links, table_wrap=table_wrap,
              chroma_256=chroma_256)
    ctx.fallbacks = []
    fallbacks = ctx.fallbacks
    out = Buf()
    doc = theme.get("document")
    own = _open_block(out, ctx, doc, doc)
    render_children(blocks, ctx, own)
    _finish_block(out, ctx, own, newline=False)
    return Rendered(out.cells, fallbacks)
