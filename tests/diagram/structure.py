"""A structural checker for a text drawing: every node boxed with its label inside, every
edge a connected run of line glyphs from its source box to its target box (ending in an
arrow when directed), every edge label present.

The node boxes' positions come from the layout's geometry; everything else is read from
the drawn text.
"""

from __future__ import annotations

from collections import deque

from slidekit.diagram.grid import GroupCell, Layout, Placed
from slidekit.diagram.model import Graph, Group
from slidekit.diagram.render import (
    Geometry,
    geometry,
    invisible,
    edge_label,
    line_style,
    node_label,
    point_style,
    shares_left,
    shares_top,
    title_offset,
)

ARROWS = set("<>^v∧∨◀▶▷△▽◁▲▼")
Rect = tuple[int, int, int, int]


def _grid(text: str) -> list[str]:
    lines = text.split("\n")
    width = max((len(line) for line in lines), default=0)
    return [line.ljust(width) for line in lines]


def _at(grid: list[str], x: int, y: int) -> str:
    return grid[y][x] if 0 <= y < len(grid) and 0 <= x < len(grid[y]) else " "


def _inside(rects: list[Rect], x: int, y: int) -> bool:
    return any(rx <= x < rx + rw and ry <= y < ry + rh for rx, ry, rw, rh in rects)


def check(graph: Graph, lay: Layout, text: str, boxart: bool = True) -> list[str]:
    """Problems found (empty: the drawing is structurally right)."""
    problems: list[str] = []
    if not graph.nodes:
        return [] if text.strip() == "" else ["an empty graph drew something"]
    grid = _grid(text)[title_offset(graph):]  # the graph's label, above the drawing
    geo = geometry(graph, lay, boxart)
    rects: dict[str, Rect] = {}
    for node in graph.nodes.values():
        placed = lay.nodes.get(node)
        if placed is None:
            problems.append(f"node {node.name!r} not placed")
            continue
        rects[node.name] = geo.rect(placed.pos, placed.size)
        problems += _check_box(graph, lay, placed, rects[node.name], grid, boxart)
    boxes = list(rects.values())
    # group frames: an edge may leave (or enter) a framed group through the frame's border
    borders = _frame_borders(lay, geo)
    for edge in graph.edges:
        if edge.source is edge.target or edge.source.name not in rects or edge.target.name not in rects:
            continue
        if line_style(graph, edge) == "invisible":  # takes its room, draws nothing
            continue
        src, dst = rects[edge.source.name], rects[edge.target.name]
        arrow = edge.directed and graph.edge_attr(edge, "arrow-style").strip().lower() != "none"
        if not _connected(grid, boxes, src, dst, arrow, borders.get(edge.source.group, set()),
                          borders.get(edge.target.group, set())):
            problems.append(f"edge {edge.source.name!r} -> {edge.target.name!r} does not connect the boxes")
        for line, _ in edge_label(graph, edge, edge.label, boxart) if edge.label else []:
            if line and line not in text:
                problems.append(f"edge label {line!r} missing")
    return problems


def _check_box(graph: Graph, lay: Layout, placed: Placed, rect: Rect, grid: list[str], boxart: bool) -> list[str]:
    x0, y0, w, h = rect
    name = placed.node.name
    if invisible(graph, placed.node):
        return []
    if graph.node_attr(placed.node, "shape") == "edge":  # drawn as a piece of edge: its label above a line
        missing = [t for t, _ in node_label(graph, placed.node, boxart) if t and t not in "".join(grid[y0:y0 + h])]
        return [f"node {name!r}: label line {t!r} missing" for t in missing]
    point = point_style(graph, placed.node)
    if point is not None:  # a point: its mark, or nothing (an invisible point)
        mark = "" if point == "invisible" else _at(grid, x0 + 2, y0 + h // 2)
        return [f"node {name!r}: point mark missing"] if point != "invisible" and mark == " " else []
    if shares_left(graph, lay, placed):  # a later autosplit field shares the previous field's right border
        x0, w = x0 - 1, w + 1
    if shares_top(graph, lay, placed):  # ... and a later row the top border of the field above
        y0, h = y0 - 1, h + 1
    border = (graph.node_attr(placed.node, "border-style") or graph.node_attr(placed.node, "border") or "solid")
    problems = []
    if border.split()[0] != "none" and graph.node_attr(placed.node, "shape") != "none":  # shape none: no box
        # corners may be blank in some ascii styles; the sides must be drawn
        for y in range(y0 + 1, y0 + h - 1):
            if _at(grid, x0, y) == " " or _at(grid, x0 + w - 1, y) == " ":
                problems.append(f"node {name!r}: side border missing at row {y}")
                break
        for y in (y0, y0 + h - 1):  # dashed styles leave gaps: at least a third drawn
            drawn = sum(_at(grid, x, y) != " " for x in range(x0, x0 + w))
            if drawn * 3 < w:
                problems.append(f"node {name!r}: border missing at row {y}")
    inside = [grid[y][x0 + 1 : x0 + w - 1] if y < len(grid) else "" for y in range(y0 + 1, y0 + h - 1)]
    for line, _ in node_label(graph, placed.node, boxart):
        if line and not any(line in row for row in inside):
            problems.append(f"node {name!r}: label line {line!r} not inside its box")
    return problems


def _frame_borders(lay: Layout, geo: Geometry) -> dict[Group | None, set[tuple[int, int]]]:
    """Where each group's frame border runs (frames follow the group's cells: not always a box)."""
    out: dict[Group | None, set[tuple[int, int]]] = {}
    for pos, cell in lay.cells.items():
        if not isinstance(cell, GroupCell):
            continue
        x0, y0, w, h = geo.rect(pos)
        spots = out.setdefault(cell.group, set())
        for side, line in (("N", [(x, y0) for x in range(x0, x0 + w)]), ("S", [(x, y0 + h - 1) for x in range(x0, x0 + w)]),
                           ("W", [(x0, y) for y in range(y0, y0 + h)]), ("E", [(x0 + w - 1, y) for y in range(y0, y0 + h)])):
            if side in cell.sides:
                spots.update(line)
    return out


def _through_frame(grid: list[str], rect: Rect, on_border: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Frame border glyphs straight out of ``rect`` across blanks (an edge leaving the group)."""
    x0, y0, w, h = rect
    found = set()
    if on_border:
        starts = [((x0 + w, y), (1, 0)) for y in range(y0, y0 + h)] + [((x0 - 1, y), (-1, 0)) for y in range(y0, y0 + h)]
        starts += [((x, y0 + h), (0, 1)) for x in range(x0, x0 + w)] + [((x, y0 - 1), (0, -1)) for x in range(x0, x0 + w)]
        for (x, y), (dx, dy) in starts:
            while 0 <= y < len(grid) and 0 <= x < len(grid[y]) and grid[y][x] == " ":
                x, y = x + dx, y + dy
            if (x, y) in on_border:
                found.add((x, y))
    return found


def _near(grid: list[str], boxes: list[Rect], rect: Rect) -> set[tuple[int, int]]:
    """Line glyphs next to ``rect``: a blank may be between on the left and right, and a group's
    spliced-in column (up to 3 blanks) or row (up to 2 blank lines) too."""
    x0, y0, w, h = rect
    starts = [((x0 - 1, y), (-1, 0), 4) for y in range(y0, y0 + h)] + [((x0 + w, y), (1, 0), 4) for y in range(y0, y0 + h)]
    starts += [((x, y0 - 1), (0, -1), 3) for x in range(x0, x0 + w)] + [((x, y0 + h), (0, 1), 3) for x in range(x0, x0 + w)]
    found = set()
    for (x, y), (dx, dy), reach in starts:
        for _ in range(reach):
            if _inside(boxes, x, y):
                break
            if _glyph(_at(grid, x, y)):
                found.add((x, y))
                break
            x, y = x + dx, y + dy
    return found


def _glyph(ch: str) -> bool:
    return ch != " " and (not ch.isalnum() or ch in "vH")  # v: an arrow, H: an ascii double line


def _connected(grid: list[str], boxes: list[Rect], src: Rect, dst: Rect, directed: bool,
               src_frames: set[tuple[int, int]], dst_frames: set[tuple[int, int]]) -> bool:
    start = _near(grid, boxes, src) | _through_frame(grid, src, src_frames)
    goal = _near(grid, boxes, dst) | _through_frame(grid, dst, dst_frames)
    seen = set(start)
    todo = deque(start)
    while todo:
        x, y = todo.popleft()
        steps = [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
        # dashed lines ("- - >") leave single blanks between glyphs
        steps += [(x + 2 * d, y) for d in (1, -1) if _at(grid, x + d, y) == " " and not _inside(boxes, x + d, y)]
        for nx, ny in steps:
            if (nx, ny) not in seen and _glyph(_at(grid, nx, ny)) and not _inside(boxes, nx, ny):
                seen.add((nx, ny))
                todo.append((nx, ny))
    reached = seen & goal
    if not reached:
        return False
    # the arrow head sits at the box, or just outside a group frame around it
    x0, y0, w, h = dst
    arrows = [(x, y) for x, y in seen if _at(grid, x, y) in ARROWS]
    return not directed or any(
        (x0 - 4 <= x <= x0 + w + 3 and y0 - 1 <= y <= y0 + h)
        or any((abs(x - gx) <= 3 and y == gy) or (x == gx and abs(y - gy) == 1) for gx, gy in reached)
        for x, y in arrows)
