"""Markdown blocks → styled cells, the way glamour's ANSI renderer lays them out.

This follows charmbracelet/glamour's ``ansi`` package element by element (the
facts, not the code): which element writes
which newline, block prefixes and suffixes, the word wrap and padding of block
elements, list markers, links followed by their URL, tables laid out as
lipgloss lays them out (:mod:`slidekit.render.table`), footer links of tables.
Styles and inline elements are in :mod:`slidekit.render.elements`.

:func:`render_document` is the entry point; the slide view puts its result in a
frame, ``slidekit render --bare`` prints it as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from pygments.token import Text as PygmentsText
from rich.cells import cell_len
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.render import cells as c
from slidekit.render.cells import Buf, Cell
from slidekit.render.code import highlight, style_for
from slidekit.render.codewrap import fold, mark_style
from slidekit.render.elements import (
    EMPTY,
    Ctx,
    Fallback,
    base_render,
    cascade,
    cascade_all,
    render_inlines,
    render_text,
    rich_of,
    sanitize_html,
)
from slidekit.render.style import clean
from slidekit.render.table import render_table
from slidekit.theme.schema import Style, Theme

_BLOCK_BREAKS = " ,.;-+|"


# --------------------------------------------------------------------------- block elements

#: (block, ctx, the enclosing block's buffer, first among its siblings) -> None
BlockRenderer = Callable[[m.Block, Ctx, Buf, bool], None]


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
    code_style: RichStyle | None  # what a continuation mark is drawn in
    if rules.theme or rules.chroma:
        render_text(body, ctx.current, rules.block_prefix)
        rows = highlight(code.rstrip("\n"), lang, ctx.theme, _code_text_style(ctx.theme))
        background = ctx.current.background_color
        under = rich_of(Style(background_color=background)) if background else None
        shown = block.shown_lines if isinstance(block, m.CodeBlock) else None
        dim = _dim_style(ctx.theme)
        numbers = isinstance(block, m.CodeBlock) and block.line_numbers
        digits = len(str(len(rows)))
        code_style = _code_text_style(ctx.theme)
        if under is not None:
            code_style = under + code_style
        for i, row in enumerate(rows):
            if i:
                body.write("\n")
            dimmed = shown is not None and i + 1 not in shown
            if numbers:
                body.write(f"{i + 1:>{digits}} ", dim if under is None else under + dim)
            for span_text, span_style in _runs(row):
                token_style = _no_background(span_style)
                if ctx.exact:
                    token_style = _indexed(token_style)
                elif under is not None:
                    token_style = under + token_style if token_style else under
                if dimmed:  # presenterm's {1,3-5}: the other lines are dimmed
                    token_style = token_style + dim if token_style else dim
                body.write(span_text.expandtabs(4), token_style)
        if code.endswith("\n"):
            body.write("\n")
        render_text(body, ctx.current, rules.block_suffix)
    else:
        base_render(body, ctx, code, rules)
        code_style = rich_of(ctx.with_(rules))
    if ctx.wrap_mark and not ctx.exact:
        body.cells = fold(body.cells, _code_room(ctx, amount), ctx.wrap_mark, mark_style(code_style))
    c.margin_write(out, body.cells, indent=amount, token=" ", token_style=pad, pad_to=0, pad_style=None)


def _dim_style(theme: Theme) -> RichStyle:
    """How dimmed code lines look: the theme's ``slidekit_dimmed`` (slidekit's extension), else faint."""
    own = theme.get("slidekit_dimmed")
    return (rich_of(own) if own != Style() else None) or RichStyle(dim=True)


def _code_room(ctx: Ctx, amount: int) -> int:
    """Cells a code row may take so that no enclosing block re-wraps it: the width
    left by every enclosing indentation as it is drawn (an indent token may be
    wider than the one cell the block's width counts), less the code's own."""
    drawn = 0
    for style in ctx.stack:
        token = style.indent_token if style.indent_token is not None else " "
        drawn += ((style.indent or 0) + (style.margin or 0)) * cell_len(token) + (style.margin or 0)
    return min(ctx.width(), ctx.word_wrap - drawn) - amount


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
                    exact: bool = False, wrap_mark: str | None = None) -> Rendered:
    """``blocks`` as glamour renders a document at word wrap ``width``.

    ``exact``: byte for byte glamour's choices where they are a terminal's
    rather than the layout's: code colours reduced to the xterm palette as
    glamour's highlighter reduces them, and no background under code. Without
    it (the slide view), code keeps the theme's exact colours, for the terminal
    to show at its own depth, over the document's background.

    ``wrap_mark`` (the slide view, never with ``exact``): code lines too long for
    their row are folded, each broken row ending in this mark.
    """
    ctx = Ctx(theme, max(width, 0), inline_table_links=inline_table_links, table_wrap=table_wrap,
              exact=exact, wrap_mark=None if exact else wrap_mark)
    ctx.fallbacks = []
    fallbacks = ctx.fallbacks
    out = Buf()
    doc = theme.get("document")
    own = _open_block(out, ctx, doc, doc)
    render_children(blocks, ctx, own)
    _finish_block(out, ctx, own, newline=False)
    return Rendered(out.cells, fallbacks)
