"""Draw a :class:`Layout` as an inline SVG (no script, no external reference).

The SVG uses the same geometry as the text drawing (one character = ``CW`` x ``CH`` user
units), so it matches the boxart's arrangement, and scales crisply. Colours come from
``currentColor``: the surrounding HTML's theme colours them.
"""

from __future__ import annotations

from html import escape

from slidekit.diagram.grid import DELTA, EdgeCell, Layout, Placed
from slidekit.diagram.model import Graph
from slidekit.diagram.render import (
    Geometry,
    frame_rect,
    geometry,
    group_border,
    group_label_lines,
    invisible,
    line_style,
    edge_label,
    node_label,
    shares_left,
    shares_top,
)

CW = 10  # one character cell, in user units
CH = 20
_DASH = {"dotted": "2 4", "dashed": "6 4", "dot-dash": "2 4 6 4", "dot-dot-dash": "2 4 2 4 6 4", "wave": "8 3"}


def _t(text: str) -> str:
    return escape(text, quote=True)


def draw_svg(graph: Graph, lay: Layout, title: str = "") -> str:
    """The diagram as one ``<svg>`` element; ``title`` (e.g. the boxart) becomes its <desc>."""
    if not lay.cells:
        return '<svg xmlns="http://www.w3.org/2000/svg" class="sk-diagram-svg" width="0" height="0" role="img"></svg>'
    geo = geometry(graph, lay)
    parts: list[str] = []
    for frame in lay.frames:
        x0, y0, w, h = frame_rect(geo, frame)
        border = group_border(graph, frame.group)
        if border != "none":
            dash = f' stroke-dasharray="{_DASH.get(border, "6 4")}"' if border != "solid" else ""
            parts.append(f'<rect class="sk-group" x="{x0 * CW + CW / 2:g}" y="{y0 * CH + CH / 2:g}" '
                         f'width="{(w - 1) * CW:g}" height="{(h - 1) * CH:g}" opacity="0.6"{dash}/>')
        for i, text in enumerate(text for text, _ in group_label_lines(graph, frame.group) if text):
            parts.append(f'<text class="sk-group-label" x="{(x0 + 2) * CW:g}" y="{(y0 + 1 + i) * CH + CH * 0.72:g}" '
                         f'fill="currentColor" stroke="none">{_t(text)}</text>')
    for pos, cell in sorted(lay.cells.items()):
        if isinstance(cell, EdgeCell):
            parts.append(_edge(graph, cell, pos, geo))
    for placed in lay.nodes.values():
        parts.append(_node(graph, lay, placed, geo))
    w, h = geo.width * CW, geo.height * CH
    desc = f"<desc>{_t(title)}</desc>" if title else ""
    top = 0
    label = graph.graph_attr("label").strip()
    if label:  # the graph's label, centred above (or below) the drawing
        below = graph.graph_attr("label-pos").strip().lower() == "bottom"
        top = 0 if below else 3 * CH
        y = h + 2 * CH if below else -CH
        parts.append(f'<text class="sk-graph-label" x="{w / 2:g}" y="{y - CH * 0.28:g}" text-anchor="middle" '
                     f'fill="currentColor" stroke="none">{_t(label)}</text>')
        h += 3 * CH
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="sk-diagram-svg" viewBox="0 {-top} {w} {h}" '
            f'width="{w}" height="{h}" role="img" font-family="monospace" font-size="{CH * 0.7:g}" '
            f'fill="none" stroke="currentColor" stroke-width="1.5">{desc}{"".join(parts)}</svg>')


def _node(graph: Graph, lay: Layout, placed: Placed, geo: Geometry) -> str:
    x0, y0, w, h = geo.rect(placed.pos, placed.size)
    if invisible(graph, placed.node):
        return f'<g class="sk-node sk-invisible" data-node="{_t(placed.node.name)}"></g>'
    if shares_left(graph, lay, placed):  # autosplit fields share a border with the field before
        x0, w = x0 - 1, w + 1
    if shares_top(graph, lay, placed):
        y0, h = y0 - 1, h + 1
    border = graph.node_attr(placed.node, "border-style") or graph.node_attr(placed.node, "border")
    style = border.split()[0] if border.split() else "solid"
    dash = f' stroke-dasharray="{_DASH[style]}"' if style in _DASH else ""
    stroke = ' stroke="none"' if style == "none" else ""
    rx = ' rx="6"' if graph.node_attr(placed.node, "shape") == "rounded" else ""
    out = [f'<g class="sk-node" data-node="{_t(placed.node.name)}">'
           f'<rect x="{x0 * CW + CW / 2:g}" y="{y0 * CH + CH / 2:g}" width="{(w - 1) * CW:g}" '
           f'height="{(h - 1) * CH:g}"{rx}{dash}{stroke}/>']
    lines = node_label(graph, placed.node)
    top = y0 + 1 + (h - 2 - len(lines)) // 2
    for i, (text, align) in enumerate(lines):
        anchor, x = {"l": ("start", x0 * CW + 2 * CW), "r": ("end", (x0 + w - 2) * CW)}.get(
            align, ("middle", x0 * CW + w * CW / 2))
        out.append(f'<text class="sk-node-label" x="{x:g}" y="{(top + i) * CH + CH * 0.72:g}" '
                   f'text-anchor="{anchor}" fill="currentColor" stroke="none">{_t(text)}</text>')
    out.append("</g>")
    return "".join(out)


def _edge(graph: Graph, cell: EdgeCell, pos: tuple[int, int], geo: Geometry) -> str:
    x0, y0, w, h = geo.rect(pos)
    style = line_style(graph, cell.edge)
    if style == "invisible":
        return ""
    dash = f' stroke-dasharray="{_DASH[style]}"' if style in _DASH else ""
    cx = (x0 + 2.5) * CW
    cy = (y0 + h // 2 + 0.5) * CH
    if cell.label and cell.sides == {"E", "W"}:
        cy = (y0 + h - 2 + 0.5) * CH
    ends = {"N": (cx, y0 * CH), "S": (cx, (y0 + h) * CH), "W": (x0 * CW, cy), "E": ((x0 + w) * CW, cy)}
    if cell.sides == {"E", "W"} or cell.sides == {"N", "S"}:
        # a straight piece: no kink at the centre (the column's line sits at x0+2)
        a, b = sorted(cell.sides)
        segs = [(ends[a], ends[b])]
    elif cell.loop:
        segs = [((cx, (y0 + h) * CH), (cx, cy)), ((cx, cy), (cx + 3 * CW, cy)), ((cx + 3 * CW, cy), (cx + 3 * CW, (y0 + h) * CH))]
    else:
        segs = [((cx, cy), ends[s]) for s in sorted(cell.sides)]
    width = ' stroke-width="3"' if style == "bold" else ""
    out = [f'<g class="sk-edge"{dash}{width}>']
    for (ax, ay), (bx, by) in segs:
        out.append(f'<line x1="{ax:g}" y1="{ay:g}" x2="{bx:g}" y2="{by:g}"/>')
    for side in sorted(cell.arrows):
        out.append(_arrow(ends[side], side))
    if "loop" in cell.sides:
        out.append(_arrow((cx, (y0 + h) * CH), "S"))
    if cell.label:
        lines = edge_label(graph, cell.edge, cell.label)
        if cell.sides == {"N", "S"}:
            lx, ly = cx + 2 * CW, cy - CH / 2
        else:
            gap = 1 if "W" in cell.gaps else 0
            lx, ly = (x0 + gap + 1) * CW, cy - CH / 2 - len(lines) * CH
        for i, (text, _align) in enumerate(lines):
            out.append(f'<text class="sk-edge-label" x="{lx:g}" y="{ly + i * CH + CH * 0.72:g}" '
                       f'fill="currentColor" stroke="none">{_t(text)}</text>')
    out.append("</g>")
    return "".join(out)


def _arrow(tip: tuple[float, float], side: str) -> str:
    """A filled arrow head whose tip touches ``tip`` and points out through ``side``."""
    dx, dy = DELTA[side]
    x, y = tip
    bx, by = x - dx * 8, y - dy * 8
    px, py = -dy * 4, dx * 4
    return (f'<polygon points="{x:g},{y:g} {bx + px:g},{by + py:g} {bx - px:g},{by - py:g}" '
            f'fill="currentColor" stroke="none"/>')
