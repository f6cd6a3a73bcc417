"""GFM tables: columns sized to their content, shrunk to fit, cells word-wrapped."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.render.inline import render_inlines
from slidekit.render.layout import pad, width_of, wrap
from slidekit.render.style import clean, merge, to_rich
from slidekit.theme.schema import Style, Theme

_DEFAULT_SEPARATORS = ("┼", "│", "─")  # center, column, row


def render_table(table: m.Table, theme: Theme, style: Style, width: int) -> list[Text]:
    """Header, a rule of ``row_separator``/``center_separator``, then the rows;
    columns are joined by ``column_separator`` (no outer border, as glamour)."""
    center, column, row = _separators(style)
    ncols = max([len(table.header)] + [len(r) for r in table.rows] + [1])
    header = [_cell(table.header, i, theme, merge(style, Style(bold=True))) for i in range(ncols)]
    body = [[_cell(r, i, theme, style) for i in range(ncols)] for r in table.rows]
    column = f" {column} " if column.strip() else column
    sep_width = cell_len(column) * (ncols - 1)
    widths = _fit_widths([max([width_of(c) for c in col] + [1]) for col in zip(header, *body)],
                         max(width - sep_width, ncols))
    aligns = [table.aligns[i] if i < len(table.aligns) else "" for i in range(ncols)]
    rich_style = to_rich(style)
    lines = _row(header, widths, aligns, column, rich_style)
    joint = _repeat(row, 1) + center + _repeat(row, 1) if column.startswith(" ") else center
    rule = Text(joint.join(_repeat(row, w) for w in widths), style=rich_style)
    lines.append(rule)
    for cells in body:
        lines.extend(_row(cells, widths, aligns, column, rich_style))
    return lines


def _separators(style: Style) -> tuple[str, str, str]:
    given = (style.center_separator, style.column_separator, style.row_separator)
    return tuple(clean(g) if g is not None else d for g, d in zip(given, _DEFAULT_SEPARATORS))  # type: ignore[return-value]  # 3 in, 3 out


def _cell(cells: tuple[tuple[m.Inline, ...], ...], index: int, theme: Theme, style: Style) -> Text:
    if index >= len(cells):
        return Text("", style=to_rich(style))
    return render_inlines(cells[index], theme, style)


def _fit_widths(natural: list[int], available: int) -> list[int]:
    """Shrink the widest columns first until the total fits ``available``."""
    widths = list(natural)
    while sum(widths) > available and max(widths) > 1:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def _repeat(token: str, width: int) -> str:
    if not token:
        return " " * width
    out = token * (width // max(cell_len(token), 1) + 1)
    while cell_len(out) > width:
        out = out[:-1]
    return out + " " * (width - cell_len(out))


def _row(cells: list[Text], widths: list[int], aligns: list[str], column: str, rich_style: RichStyle) -> list[Text]:
    wrapped = [wrap(cell, w) for cell, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    lines: list[Text] = []
    for y in range(height):
        line = Text(style=rich_style)
        for x, (cell_lines, w) in enumerate(zip(wrapped, widths)):
            if x:
                line.append(column, style=rich_style)
            part = cell_lines[y] if y < len(cell_lines) else Text()
            line.append_text(_align(part, w, aligns[x], rich_style))
        lines.append(line)
    return lines


def _align(part: Text, width: int, align: str, rich_style: RichStyle) -> Text:
    missing = max(width - width_of(part), 0)
    if align == m.Align.RIGHT:
        left = missing
    elif align == m.Align.CENTER:
        left = missing // 2
    else:
        left = 0
    out = Text(" " * left, style=rich_style)
    out.append_text(part)
    return pad(out, width, rich_style)
