"""Group frames the way Graph::Easy draws them: after the layout, a row and a column are spliced in
around (and between) every row and column a group's cells use; the spliced cells next to a group's
cells become the group's filler cells, and those on its outline carry its border. Frames follow the
group's cells, so they need not be rectangles. Edges torn apart by the splice are joined again with
filler pieces that take no room of their own.

Observed rules (black-box experiments with graph-easy):

* a group's cells: its own nodes, the edges between two of them, and an empty cell sandwiched
  between two of those in a row or a column; its frame: the eight neighbours of each of them;
* an empty cell between two of a group's cells (above and below, or left and right) joins it, so
  parts of a group one line apart are bridged;
* a frame cell's border sides are those whose neighbour is not the group's;
* the hole the splice leaves between an edge and its node is filled inside a group (not across its
  border) and, outside groups, only above a node the edge ends at from the north; elsewhere the
  edge keeps its end and the hole stays blank (it shows where the spliced line has room);
* the label goes into a top (or bottom: ``labelpos``) border cell: the leftmost one inside the
  corners (``align: left``), the topmost then rightmost (``right``) or the middle one of the top
  row (``center``); that cell's column is at least as wide as the label plus two;
* nested groups draw apart: a node belongs to its innermost group only.
"""

from __future__ import annotations

from bisect import bisect_right
from copy import copy

from slidekit.diagram.grid import DELTA, OPPOSITE, EdgeCell, Frame, GroupCell, Layout, Placed, Pos
from slidekit.diagram.model import Graph, Group


def _edge_cells(lay: Layout) -> dict[Pos, EdgeCell]:
    """The cells of edges (neither nodes nor frames)."""
    return {pos: cell for pos, cell in lay.cells.items() if isinstance(cell, EdgeCell)}


def _core(lay: Layout) -> dict[Pos, Group]:
    """The cells (before the splice) that belong to a group: member nodes, edges within it and
    empty cells between two of those."""
    core: dict[Pos, Group] = {}
    for placed in lay.nodes.values():
        if placed.node.group is not None:
            core.update(dict.fromkeys(placed.covers(), placed.node.group))
    for pos, cell in _edge_cells(lay).items():
        src, dst = cell.edge.source.group, cell.edge.target.group
        if src is not None and src is dst:
            core[pos] = src
    if not core:
        return core
    xs = [p[0] for p in core]
    ys = [p[1] for p in core]
    for x in range(min(xs), max(xs) + 1):
        for y in range(min(ys), max(ys) + 1):
            if (x, y) in lay.cells:
                continue
            for a, b in (((x - 1, y), (x + 1, y)), ((x, y - 1), (x, y + 1))):
                group = core.get(a)
                if group is not None and core.get(b) is group and a in lay.cells and b in lay.cells:
                    core[(x, y)] = group
                    break
    return core


def _inserts(values: dict[Group, list[int]]) -> list[int]:
    """Where lines are spliced in: before each line a group spans, and after its last one."""
    out: set[int] = set()
    for lines in values.values():
        out.update(range(min(lines), max(lines) + 2))
    return sorted(out)


def splice_groups(graph: Graph, lay: Layout) -> None:
    """Splice the groups' frame cells into ``lay`` (in place)."""
    core = _core(lay)
    if not core:
        return
    cols: dict[Group, list[int]] = {}
    rows: dict[Group, list[int]] = {}
    for (x, y), group in core.items():
        cols.setdefault(group, []).append(x)
        rows.setdefault(group, []).append(y)
    ins_x, ins_y = _inserts(cols), _inserts(rows)
    new_x = set(ins_x)
    new_y = set(ins_y)

    def fx(x: int) -> int:
        return x + bisect_right(ins_x, x)

    def fy(y: int) -> int:
        return y + bisect_right(ins_y, y)

    spliced_x = {p + bisect_right(ins_x, p - 1) for p in new_x}  # where the new columns land
    spliced_y = {p + bisect_right(ins_y, p - 1) for p in new_y}
    torn = {(fx(x), fy(y)): cell for (x, y), cell in _edge_cells(lay).items()}
    cells: dict[Pos, Placed | EdgeCell | GroupCell] = {}
    for (x, y), cell in lay.cells.items():
        cells[(fx(x), fy(y))] = cell
    members: dict[Pos, Group] = {(fx(x), fy(y)): g for (x, y), g in core.items()}
    for placed in {id(p): p for p in lay.nodes.values()}.values():  # multi-cell nodes close the gaps
        (x, y), (w, h) = placed.pos, placed.size
        x0, y0, x1, y1 = fx(x), fy(y), fx(x + w - 1), fy(y + h - 1)
        placed.pos, placed.size = (x0, y0), (x1 - x0 + 1, y1 - y0 + 1)
        for c in placed.covers():
            cells[c] = placed
            if placed.node.group is not None:
                members[c] = placed.node.group
    # the frame: the neighbours of the group's cells
    owner: dict[Pos, Group] = dict(members)
    frame_of: dict[Pos, Group] = {}
    for (x, y), group in members.items():
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                c = (x + dx, y + dy)
                if c not in cells and c not in owner:
                    owner[c] = group
                    frame_of[c] = group

    def borders(c: Pos, group: Group) -> frozenset[str]:
        return frozenset(s for s, (dx, dy) in DELTA.items() if owner.get((c[0] + dx, c[1] + dy)) is not group)

    group_cells = {c: GroupCell(g, borders(c, g)) for c, g in frame_of.items()}
    # edges torn by the splice: filler pieces across the new lines
    for (x, y), cell in torn.items():
        if cell.loop or cell.filler:
            continue
        for side in sorted(cell.sides):
            dx, dy = DELTA[side]
            q = (x + dx, y + dy)
            if q in cells or (q[0] not in spliced_x if dx else q[1] not in spliced_y):
                continue
            frame = group_cells.get(q)
            if side in cell.gaps and (frame.sides if frame is not None else side != "S" or side not in cell.arrows):
                continue  # the hole to a node: filled inside a group, or above a node entered from the north
            piece = copy(cell)
            piece.sides, piece.gaps, piece.arrows = {side, OPPOSITE[side]}, {side} & cell.gaps, {side} & cell.arrows
            piece.label, piece.cross, piece.filler = "", False, True
            piece.hole = frame is None and side in cell.gaps  # outside a group: a whole cell where the line has room
            cells[q] = piece
    # an empty cell between two cells of one group (above and below, or left and right) joins it
    for c, group in _spliced_gaps(owner).items():
        if c not in cells:
            frame_of[c] = owner[c] = group
    group_cells = {c: GroupCell(g, borders(c, g)) for c, g in frame_of.items()}
    for c, gc in group_cells.items():
        if c not in cells:
            cells[c] = gc
    lay.cells = cells
    for group in {id(g): g for g in frame_of.values()}.values():
        mine = [c for c, g in owner.items() if g is group]
        lay.frames.append(Frame(group, (min(c[0] for c in mine), min(c[1] for c in mine)),
                                (max(c[0] for c in mine), max(c[1] for c in mine))))
        _label_cell(graph, group, {c: gc for c, gc in group_cells.items() if gc.group is group and cells.get(c) is gc})


def _spliced_gaps(owner: dict[Pos, Group]) -> dict[Pos, Group]:
    """Cells not yet anyone's with the same group on both sides (vertically or horizontally)."""
    out: dict[Pos, Group] = {}
    for (x, y), group in owner.items():
        for dx, dy in ((0, 2), (2, 0)):
            gap, far = (x + dx // 2, y + dy // 2), (x + dx, y + dy)
            if gap not in owner and owner.get(far) is group:
                out[gap] = group
    return out


def label_bottom(graph: Graph, group: Group) -> bool:
    """``labelpos: bottom`` (or ``label-pos``): the group's label goes at the bottom of its frame."""
    pos = graph.attr("group", group.attrs, "labelpos") or graph.attr("group", group.attrs, "label-pos")
    return pos.strip().lower() == "bottom"


def _label_cell(graph: Graph, group: Group, cells: dict[Pos, GroupCell]) -> None:
    """Mark the cell of the group's top (bottom) border that holds its label: the leftmost one
    inside the corners (then the topmost); for ``align: right`` the topmost (then rightmost); for
    ``center`` the middle one of the topmost border row."""
    side = "S" if label_bottom(graph, group) else "N"
    edge = [c for c, gc in cells.items() if side in gc.sides]
    if not edge:
        return
    inner = [c for c in edge if not cells[c].sides & {"W", "E"}] or edge
    align = graph.attr("group", group.attrs, "align").strip().lower()
    if align == "right":
        pick = min(inner, key=lambda c: (c[1], -c[0]))
    elif align == "center":
        row_y = max(c[1] for c in edge) if side == "S" else min(c[1] for c in edge)
        row = sorted(c for c in edge if c[1] == row_y)
        mid = (row[0][0] + row[-1][0]) // 2
        pick = min(row, key=lambda c: abs(c[0] - mid))
    else:
        pick = min(inner)
    cells[pick].label = True
