"""GFM tables laid out as glamour lays them out (with a lipgloss table).

Columns start at their widest cell plus the cell margins (and the theme's table
``margin`` as padding), then grow evenly to the full width, or shrink (the
widest first, then those furthest above their median). Cells word-wrap (or are
truncated with ``…`` when wrapping is off); headers are always one line. Links
and images inside cells become ``text[N]`` with the URLs listed under the
table, numbered, unless links are kept inline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.style import Style as RichStyle

from slidekit.deck import model as m
from slidekit.render import cells as c
from slidekit.render.cells import Buf, Cell
from slidekit.render.elements import (
    Ctx,
    TableLink,
    Autolink,
    link_domain,
    node_content,
    autolink_label,
    base_render,
    prepare,
    render_inlines,
    render_text,
    rich_of,
)
from slidekit.theme.schema import Style

_NORMAL = ("─", "│", "┼")  # top/row, column, middle


@dataclass(frozen=True)
class _Column:
    pad_left: int
    pad_right: int
    align: str

    @property
    def x_padding(self) -> int:
        return 2 + self.pad_left + self.pad_right


def render_table(table: m.Table, ctx: Ctx, out: Buf) -> None:
    rules = ctx.s("table")
    out.write("\n")
    amount = (rules.indent or 0) + (rules.margin or 0)
    head = Buf()
    render_text(head, ctx.current, rules.block_prefix)
    render_text(head, ctx.with_(rules), rules.prefix)
    c.margin_write(out, head.cells, indent=amount, token=" ", token_style=rich_of(ctx.current),
                   pad_to=0, pad_style=None)
    ncols = max([len(table.header)] + [len(r) for r in table.rows] + [1])
    header_nodes = [table.header[i] if i < len(table.header) else () for i in range(ncols)]
    row_nodes = [[row[i] if i < len(row) else () for i in range(ncols)] for row in table.rows]
    ctx.table_links, ctx.table_images = _collect([header_nodes, *row_nodes])
    ctx.in_table = True
    try:
        header = [_cell(nodes, ctx) for nodes in header_nodes]
        rows = [[_cell(nodes, ctx) for nodes in row] for row in row_nodes]
    finally:
        ctx.in_table = False
    doc_bg = ctx.theme.get("document").background_color
    bg = rich_of(Style(background_color=doc_bg)) if doc_bg else None
    columns = [_column(rules, table.aligns[i] if i < len(table.aligns) else "") for i in range(ncols)]
    lines = layout(header, rows, columns, ctx.width(), wrap=ctx.table_wrap, bg=bg,
                   separators=_separators(rules))
    out.extend(c.join(lines))
    render_text(out, ctx.with_(rules), rules.suffix)
    render_text(out, ctx.current, rules.block_suffix)
    _footer_links(ctx, out)
    ctx.table_links, ctx.table_images = [], []
    out.write("\n")


def _separators(rules: Style) -> tuple[str, str, str]:
    if rules.row_separator is not None and rules.column_separator is not None:
        return rules.row_separator, rules.column_separator, rules.center_separator or ""
    return _NORMAL


def _column(rules: Style, align: str) -> _Column:
    pad = rules.margin or 0
    left = right = pad
    if align == m.Align.LEFT:
        right = 0
    elif align == m.Align.RIGHT:
        left = 0
    return _Column(left, right, align)


def _cell(nodes: tuple[m.Inline, ...], ctx: Ctx) -> list[Cell]:
    out = Buf()
    table_style = ctx.s("table")
    plain_style = replace(table_style, indent=None, margin=None, indent_token=None,
                          center_separator=None, column_separator=None, row_separator=None)
    for node in prepare(nodes):
        if isinstance(node, (m.Text, m.SoftBreak, m.HardBreak, m.Emph, m.Strong, m.Strike, m.HtmlInline)):
            render_inlines(out, ctx, [node], override=plain_style)
        else:
            inner = Buf()
            render_inlines(inner, ctx, [node])
            base_render(out, ctx, "", plain_style, inner=inner.cells)
    return out.cells


def _collect(rows: list[list[tuple[m.Inline, ...]]]) -> tuple[list[TableLink], list[TableLink]]:
    links: list[TableLink] = []
    images: list[TableLink] = []

    def walk(nodes: list[object]) -> None:
        for node in nodes:
            if isinstance(node, Autolink):
                links.append(TableLink(node.href, autolink_label(node.href) or link_domain(node.href), "auto"))
            elif isinstance(node, m.Image):
                images.append(TableLink(node.src, node.alt or link_domain(node.src), "image"))
            elif isinstance(node, m.Link):
                links.append(TableLink(node.href, node_content(node.children), "regular"))
                walk(prepare(node.children))
            elif isinstance(node, (m.Emph, m.Strong, m.Strike)):
                walk(prepare(node.children))

    for row in rows:
        for cell in row:
            walk(prepare(cell))
    return _unique(links), _unique(images)


def _unique(items: list[TableLink]) -> list[TableLink]:
    out: list[TableLink] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


# --------------------------------------------------------------------------- lipgloss layout


def _median(values: list[int]) -> int:
    values = sorted(values)
    if not values:
        return 0
    if len(values) % 2 == 0:
        h = len(values) // 2
        return (values[h - 1] + values[h]) // 2
    return values[len(values) // 2]


def _cell_width(cells: list[Cell]) -> int:
    return max((c.width(line) for line in c.split(cells)), default=0)


def column_widths(header: list[list[Cell]], rows: list[list[list[Cell]]], columns: list[_Column],
                  table_width: int) -> list[int]:
    """lipgloss's resizer: natural widths, then expand evenly or shrink."""
    all_rows = [header, *rows]
    n = len(columns)
    maxes = [max(_cell_width(row[j]) for row in all_rows) for j in range(n)]
    medians = [_median([_cell_width(row[j]) for row in rows]) for j in range(n)]
    border = n - 1
    if table_width <= 0:
        table_width = sum(maxes) + sum(col.x_padding for col in columns) + border
    widths = [maxes[j] + columns[j].x_padding for j in range(n)]
    if sum(widths) <= table_width:
        while sum(widths) + border < table_width:
            shortest = min(range(n), key=lambda j: (widths[j], j)) if n else 0
            candidates = [j for j in range(n) if widths[j] != 0]
            if not candidates:
                break
            shortest = min(candidates, key=lambda j: (widths[j], j))
            widths[shortest] += 1
        return widths

    def shrink_biggest(very_big_only: bool) -> None:
        while sum(widths) + border > table_width:
            index, best = -1, -1
            for j, w in enumerate(widths):
                if w == 0:
                    continue
                if very_big_only:
                    if w >= table_width // 2 and w > best:
                        best, index = w, j
                elif w > best:
                    best, index = w, j
            if index < 0 or widths[index] == 0:
                break
            widths[index] -= 1

    def shrink_to_median() -> None:
        while sum(widths) + border > table_width:
            index, best = -1, -1
            for j, w in enumerate(widths):
                if w == 0:
                    continue
                diff = w - medians[j]
                if diff > 0 and diff > best:
                    best, index = diff, j
            if index <= 0 or widths[index] == 0:
                break
            widths[index] -= 1

    shrink_biggest(True)
    shrink_to_median()
    shrink_biggest(False)
    return widths


def _height(cells: list[Cell], width: int) -> int:
    if width <= 0:
        return 1
    return sum(sum(1 for x in c.wrap(line, width) if x[0] == "\n") + 1 for line in c.split(cells))


def _render_cell(content: list[Cell], col: _Column, width: int, height: int, bg: RichStyle | None,
                 max_width: int | None) -> list[list[Cell]]:
    """lipgloss Style.Render of one cell: wrap, pad, align, margins."""
    inner = width - 2
    if inner > 0:
        content = c.wrap(content, inner - col.pad_left - col.pad_right, "")
    lines = [c.restyle(line, bg) for line in c.split(content)]
    space: Cell = (" ", 1, bg)
    lines = [[space] * col.pad_left + line + [space] * col.pad_right for line in lines]
    if height > 0 and len(lines) < height:
        lines += [[] for _ in range(height - len(lines))]
    widest = max((c.width(line) for line in lines), default=0)
    aligned: list[list[Cell]] = []
    for line in lines:
        short = widest - c.width(line)
        short += max(0, inner - (short + c.width(line)))
        if short > 0:
            if col.align == m.Align.RIGHT:
                line = [space] * short + line
            elif col.align == m.Align.CENTER:
                left = short // 2
                line = [space] * left + line + [space] * (short - left)
            else:
                line = line + [space] * short
        aligned.append([space] + line + [space])
    if max_width is not None:
        aligned = [c.truncate(line, max_width) for line in aligned]
        aligned = aligned[:height] if height > 0 else aligned
    return aligned


def _join(blocks: list[list[list[Cell]]]) -> list[list[Cell]]:
    """lipgloss.JoinHorizontal(Top, ...)."""
    height = max((len(b) for b in blocks), default=0)
    out: list[list[Cell]] = [[] for _ in range(height)]
    for block in blocks:
        widest = max((c.width(line) for line in block), default=0)
        for y in range(height):
            line = block[y] if y < len(block) else []
            out[y].extend(line + [(" ", 1, None)] * (widest - c.width(line)))
    return out


def layout(header: list[list[Cell]], rows: list[list[list[Cell]]], columns: list[_Column],
           table_width: int, *, wrap: bool, bg: RichStyle | None,
           separators: tuple[str, str, str]) -> list[list[Cell]]:
    top, column_sep, middle = separators
    widths = column_widths(header, rows, columns, table_width)
    if table_width <= 0:
        table_width = sum(widths) + len(widths) - 1
    heights = [1]
    for row in rows:
        h = 1
        if wrap:
            for j, cell in enumerate(row):
                h = max(h, _height(cell, widths[j] - columns[j].x_padding))
        heights.append(h)
    border_style = bg
    lines: list[list[Cell]] = []

    def separator(height: int) -> list[list[Cell]]:
        return [[(g, w, border_style) for g, w in c.graphemes(column_sep)] for _ in range(height)]

    def construct(cells_: list[list[Cell]], height: int, is_header: bool) -> None:
        blocks: list[list[list[Cell]]] = []
        for j, content in enumerate(cells_):
            col = columns[j]
            if is_header or not wrap:
                length = widths[j] * height - col.pad_left - col.pad_right - 2
                content = c.truncate(content, max(length, 0), "…")
            block = _render_cell(content, col, widths[j], height, bg,
                                 None if is_header else widths[j])
            blocks.append(block)
            if j < len(cells_) - 1:
                blocks.append(separator(height))
        lines.extend(_join(blocks))

    construct(header, heights[0], True)
    rule: list[Cell] = []
    for j, w in enumerate(widths):
        rule.extend((g, gw, border_style) for g, gw in c.graphemes(top * w))
        if j < len(widths) - 1:
            rule.extend((g, gw, border_style) for g, gw in c.graphemes(middle))
    lines.append(rule)
    for i, row in enumerate(rows):
        construct(row, heights[i + 1], False)
    return [c.truncate(line, table_width) for line in lines]


def _footer_links(ctx: Ctx, out: Buf) -> None:
    if ctx.inline_table_links or not (ctx.table_links or ctx.table_images):
        return
    term_width = ctx.width()

    def render_list(items: list[TableLink]) -> None:
        for i, link in enumerate(items):
            position = i + 1
            padding = max(len(str(len(items))) - len(str(position)), 0)
            render_text(out, ctx.current, "\n")
            token = " " * padding
            text = Buf()
            if link.kind == "image":
                style = ctx.s("image_text")
                style = replace(style, prefix=f"[{position}]: " + (style.prefix or ""))
                base_render(text, ctx, token + link.content, style)
                href_style = ctx.s("image")
            else:
                base_render(text, ctx, token + f"[{position}]: {link.content}", ctx.s("link_text"))
                href_style = ctx.s("link")
            out.extend(text.cells)
            render_text(out, ctx.current, " ")
            room = max(term_width - c.width(text.cells) - 1, 0)
            href: list[Cell] = [(g, w, None) for g, w in c.graphemes(link.href)]
            token_text = "".join(x[0] for x in c.truncate(href, room, "…"))
            base_render(out, ctx, token_text, href_style)

    if ctx.table_links:
        render_text(out, ctx.current, "\n")
    render_list(ctx.table_links)
    if ctx.table_images:
        render_text(out, ctx.current, "\n")
    render_list(ctx.table_images)


__all__ = ["column_widths", "layout", "render_table"]
