"""Draw a :class:`Layout` as text: ``boxart`` (Unicode box drawing) or ``ascii``.

Each grid column is as wide as its widest cell, each row as tall as its tallest; empty
columns and rows take no space. A node fills its cells with a border and its label
centred; an edge cell draws its line through the middle row (``h // 2``) and at column 2
of its cell, with one blank between the line and a node it touches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from slidekit.diagram.groups import label_bottom
from slidekit.diagram.grid import DELTA, EdgeCell, Frame, GroupCell, Layout, Placed
from slidekit.diagram.model import Edge, Graph, Group, Node


@dataclass(frozen=True)
class Border:
    top: str  # left corner, fill, right corner
    side: str  # left, right
    bottom: str
    cycle: str = ""  # both sides' characters, repeating downwards (instead of ``side``)

    def at(self, row: int, right: bool) -> str:
        """The left (right) side's character on the ``row``-th line below the top (0-based)."""
        return self.cycle[row % len(self.cycle)] if self.cycle else self.side[right]


_BORDERS_BOX = {
    "solid": Border("┌─┐", "││", "└─┘"),
    "dotted": Border("┌⋯┐", "⋮⋮", "└⋯┘"),
    "dashed": Border("┌−┐", "╎╎", "└−┘"),
    "double": Border("╔═╗", "║║", "╚═╝"),
    "bold": Border("┏━┓", "┃┃", "┗━┛"),
    "wave": Border("┌∼┐", "≀≀", "└∼┘"),
    "dot-dash": Border("┌-·┐", "!!", "└-·┘"),
    "dot-dot-dash": Border("┌·-·┐", "││", "└·-·┘", "│:"),
    "double-dash": Border("╔ ═╗", "∥∥", "╚ ═╝"),
    "bold-dash": Border("┏ ━┓", "╻╻", "┗ ━┛"),
    "broad": Border("▛▀▜", "▌▐", "▙▄▟"),
    "wide": Border("███", "██", "███"),
    "none": Border("   ", "  ", "   "),
    "rounded": Border("╭─╮", "││", "╰─╯"),
}
_BORDERS_ASCII = {
    "solid": Border("+-+", "||", "+-+"),
    "dotted": Border("...", "::", ":.:"),
    "dashed": Border("+ -+", "''", "+ -+"),
    "double": Border("#=#", "HH", "#=#"),
    "bold": Border("###", "##", "###"),
    "wave": Border("+~+", "{{", "+~+", "{}"),
    "dot-dash": Border("+-.+", "!!", "+-.+"),
    "dot-dot-dash": Border("+.-.+", "||", "+.-.+", "|:"),
    "double-dash": Border("# =#", '""', "# =#"),
    "bold-dash": Border("# ##", "##", "# ##", "# "),
    "broad": Border("###", "##", "###"),
    "wide": Border("###", "##", "###"),
    "none": Border("   ", "  ", "   "),
    "rounded": Border(" - ", "||", " - "),
}

# edge line styles: horizontal pattern, vertical char
_LINES_BOX = {
    "solid": ("─", "│"),
    "double": ("═", "║"),
    "dotted": ("·", ":"),
    "dashed": ("╴", "╵"),
    "dot-dash": ("·-", "!"),
    "dot-dot-dash": ("··-", "!"),
    "wave": ("∼", "≀"),
    "bold": ("━", "┃"),
    "double-dash": ("═ ", "∥"),
    "bold-dash": ("━ ", "╻"),
    "broad": ("▬", "▮"),
    "wide": ("█", "█"),
}
_LINES_ASCII = {
    "solid": ("-", "|"),
    "double": ("=", "H"),
    "dotted": (".", ":"),
    "dashed": ("- ", "'"),
    "dot-dash": (".-", "!"),
    "dot-dot-dash": ("..-", "!"),
    "wave": ("~", "}"),
    "bold": ("#", "#"),
    "double-dash": ("= ", '"'),
    "bold-dash": ("# ", "#"),
    "broad": ("#", "#"),
    "wide": ("#", "#"),
}
_ARROWS_BOX = {"E": ">", "W": "<", "N": "∧", "S": "∨"}
# arrow-style closed / filled (boxart only; ascii draws every style as the open one)
_ARROW_STYLES_BOX = {"closed": {"E": "▷", "W": "◁", "N": "△", "S": "▽"},
                     "filled": {"E": "▶", "W": "◀", "N": "▲", "S": "▼"}}
_ARROWS_ASCII = {"E": ">", "W": "<", "N": "^", "S": "v"}
_CORNER_SIDES = [frozenset(s) for s in ("ES", "WS", "EN", "WN", "NSE", "NSW", "EWS", "EWN", "NSEW")]


def _corner_set(chars: str) -> dict[frozenset[str], str]:
    """Corners and joints, in the order of ``_CORNER_SIDES``."""
    return dict(zip(_CORNER_SIDES, chars))


_CORNERS_BOX = _corner_set("┌┐└┘├┤┬┴┼")
# the corners (and joints) of an edge, by its style (default: _CORNERS_BOX; ascii: "+")
_STYLE_CORNERS_BOX = {
    "bold": _corner_set("┏┓┗┛┣┫┳┻╋"), "bold-dash": _corner_set("┏┓┗┛┣┫┳┻╋"),
    "double": _corner_set("╔╗╚╝╠╣╦╩╬"), "double-dash": _corner_set("╔╗╚╝╠╣╦╩╬"),
    "broad": _corner_set("█" * 9), "wide": _corner_set("█" * 9),
    "dotted": _corner_set("┌┐└┘:::::"), "wave": _corner_set("┌┐└┘┼┼┼┼┼"), "dashed": _corner_set("┌┐╵┘├┤┬┴┼"),
}
_STYLE_CORNERS_ASCII = {
    "dotted": _corner_set("....:::::"), "wave": _corner_set("****+++++"),
    **{name: _corner_set("#" * 9) for name in ("bold", "bold-dash", "double", "double-dash", "broad", "wide")},
}


# where two edges cross: by the horizontal line's style, the character for some vertical
# styles, then for any other (as graph-easy draws them)
_CROSS_BOX: dict[str, tuple[dict[str, str], str]] = {
    "solid": ({"dashed": "┴", "double": "╫", "bold": "╂"}, "┼"),
    "dashed": ({"solid": "┤", "double": "╢"}, "┘"),
    "double": ({"solid": "╪", "dashed": "╧"}, "╬"),
    "bold": ({"solid": "┿"}, "╋"),
    "double-dash": ({}, "╬"), "bold-dash": ({}, "╋"),
    "broad": ({}, "█"), "wide": ({}, "█"),
}
_CROSS_ASCII: dict[str, tuple[dict[str, str], str]] = {
    "solid": ({"double": "H"}, "+"),
    "dotted": ({"solid": "!", "wave": "+"}, ":"),
    "double": ({"solid": "+"}, "#"), "bold": ({"solid": "+"}, "#"),
    "double-dash": ({}, "#"), "bold-dash": ({}, "#"), "broad": ({}, "#"), "wide": ({}, "#"),
}


@dataclass(frozen=True)
class Style:
    boxart: bool

    def border(self, name: str) -> Border:
        table = _BORDERS_BOX if self.boxart else _BORDERS_ASCII
        return table.get(name, table["solid"])

    def line(self, name: str) -> tuple[str, str]:
        table = _LINES_BOX if self.boxart else _LINES_ASCII
        return table.get(name, table["solid"])

    def arrow(self, side: str, kind: str = "open") -> str:
        if not self.boxart:
            return _ARROWS_ASCII[side]
        return _ARROW_STYLES_BOX.get(kind, _ARROWS_BOX)[side]

    def cross(self, across: str, down: str) -> str:
        """The character where a line in style ``across`` crosses one in style ``down``."""
        special, other = (_CROSS_BOX if self.boxart else _CROSS_ASCII).get(across, ({}, "┼" if self.boxart else "+"))
        return special.get(down, other)

    def corner(self, sides: frozenset[str], style: str) -> str:
        if not self.boxart:
            return _STYLE_CORNERS_ASCII.get(style, {}).get(sides, "+")
        return _STYLE_CORNERS_BOX.get(style, _CORNERS_BOX).get(sides, "┼")


def label_lines(raw: str, align: str = "c") -> list[tuple[str, str]]:
    """A raw label's lines, each with its alignment (l, r, c); ``\\l`` ``\\r`` ``\\c`` ``\\n`` end a line
    and set the next line's alignment (``\\n``: the default)."""
    out: list[tuple[str, str]] = []
    cur: list[str] = []
    cur_align = align
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt in "nlrc":
                out.append(("".join(cur).strip(), cur_align))
                cur = []
                cur_align = align if nxt == "n" else nxt
            else:
                cur.append(nxt)
            i += 2
            continue
        cur.append(ch)
        i += 1
    out.append(("".join(cur).strip(), cur_align))
    return out


_WRAP_TOKEN = re.compile(r"[^\s-]*-+(?=\S)|\S+\s*")


def wrap_line(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` columns: words (and pieces ending in a hyphen) are added to
    a line while it, with the blank after it, stays within ``width``; a longer word stands alone."""
    lines: list[str] = []
    cur = ""
    for token in _WRAP_TOKEN.findall(text):
        if cur and len(cur) + len(token) > width:
            lines.append(cur.rstrip())
            cur = ""
        cur += token
    lines.append(cur.rstrip())
    return lines


def _wrap_width(graph: Graph, kind: str, attrs: dict[str, str]) -> int:
    """``text-wrap`` (or ``textwrap``) in columns, of the object, its class, its kind or the graph."""
    for key in ("text-wrap", "textwrap"):
        value = graph.attr(kind, attrs, key) or graph.graph_attr(key)
        if value.strip().isdigit():
            return int(value)
    return 0


def wrap_lines(lines: list[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    if width <= 0:
        return lines
    return [(part, align) for text, align in lines for part in wrap_line(text, width)]


def shorten(graph: Graph, lines: list[tuple[str, str]], boxart: bool = True) -> list[tuple[str, str]]:
    """The graph's ``autolabel: name, N``: a line longer than N keeps its start and end around an
    ellipsis (boxart: a UTF-8 ellipsis read as Latin-1, three characters counted as one)."""
    m = re.fullmatch(r"\s*(?:name\s*,\s*)?(\d+)\s*", graph.graph_attr("autolabel"))
    if m is None or int(m.group(1)) < 10:
        return lines
    limit = int(m.group(1))
    dots = "\u00e2\u0080\u00a6" if boxart else "..."
    keep = (limit - 2 - (1 if boxart else 3)) // 2
    return [(f"{t[:keep]} {dots} {t[-keep:]}" if len(t) > limit else t, a) for t, a in lines]


def edge_label(graph: Graph, edge: Edge, raw: str, boxart: bool = True) -> list[tuple[str, str]]:
    """An edge label's lines (left-aligned unless ``\\r`` ``\\c``), wrapped by ``text-wrap``."""
    align = {"right": "r", "center": "c"}.get(graph.edge_attr(edge, "align").strip().lower(), "l")
    return wrap_lines(shorten(graph, label_lines(raw, align), boxart), _wrap_width(graph, "edge", edge.attrs))


def node_label(graph: Graph, node: Node, boxart: bool = True) -> list[tuple[str, str]]:
    label = graph.node_attr(node, "label") if "_label" not in node.attrs else _field_label(graph, node)
    if not label:
        label = " " if node.anonymous else node.name
    align = {"left": "l", "right": "r"}.get(graph.node_attr(node, "align").strip().lower(), "c")
    return wrap_lines(shorten(graph, label_lines(label, align), boxart), _wrap_width(graph, "node", node.attrs))


def _field_label(graph: Graph, node: Node) -> str:
    """An autosplit field's label: its own, else its class's, else the field's text."""
    if "label" in node.attrs:
        return node.attrs["label"]
    for name in node.attrs.get("class", "").lower().split():
        value = graph.classes.get(f"node.{name}", {}).get("label")
        if value is not None:
            return value
    return node.attrs["_label"]


def line_style(graph: Graph, edge: Edge) -> str:
    """An edge's line style: its own ``style``, else the style its arrow was written with
    (``==>``, ``..>`` ...), else its class's, else solid."""
    own = edge.attrs.get("style", "").strip().lower()
    if own:
        return own
    if edge.style != "solid":
        return edge.style
    return graph.edge_attr(edge, "style").strip().lower() or "solid"


def _rounded(b: Border, arcs: bool) -> Border:
    """A border with rounded corners (arcs), or none where the style has no arc (blank)."""
    tl, tr, bl, br = ("╭", "╮", "╰", "╯") if arcs else (" ", " ", " ", " ")
    return Border(tl + b.top[1:-1] + tr, b.side, bl + b.bottom[1:-1] + br, b.cycle)


def _node_border(graph: Graph, node: Node) -> str:
    border = graph.node_attr(node, "border-style") or graph.node_attr(node, "border")
    name = border.split()[0].lower() if border.split() else "solid"
    if name not in _BORDERS_BOX:
        name = "solid"
    if name == "solid" and graph.node_attr(node, "shape") == "rounded":
        return "rounded"
    return name


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.rows = [[" "] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str) -> None:
        if 0 <= y < len(self.rows):
            row = self.rows[y]
            if x + len(text) > len(row):  # an overhanging edge label
                row.extend(" " * (x + len(text) - len(row)))
            for i, ch in enumerate(text):
                if x + i >= 0:
                    row[x + i] = ch

    def text(self) -> str:
        lines = ["".join(r).rstrip() for r in self.rows]
        while len(lines) > 1 and not lines[-1]:  # trailing blank lines are dropped
            lines.pop()
        return "\n".join(lines) + "\n"


def invisible(graph: Graph, node: Node) -> bool:
    """Anonymous nodes (``[ ]``) and ``shape: invisible`` take space but draw nothing."""
    return (node.anonymous and "label" not in node.attrs) or graph.node_attr(node, "shape") == "invisible"


_POINTS_BOX = {"star": "★", "square": "■", "dot": "·", "circle": "●", "diamond": "◆", "cross": "+", "invisible": ""}
_POINTS_ASCII = {"star": "*", "square": "#", "dot": ".", "circle": "o", "diamond": "<>", "cross": "+", "invisible": ""}


def point_style(graph: Graph, node: Node) -> str | None:
    """A ``shape: point`` node's ``point-style`` (``star`` unless known), else None."""
    if graph.node_attr(node, "shape").strip().lower() != "point":
        return None
    name = graph.node_attr(node, "point-style").strip().lower()
    return name if name in _POINTS_BOX else "star"


def _shows_box(graph: Graph, node: Node) -> bool:
    return not invisible(graph, node) and point_style(graph, node) != "invisible"


def shares_left(graph: Graph, lay: Layout, placed: Placed) -> bool:
    """A node placed relative to others (an autosplit field, a node with an ``origin``) right
    beside another visible node shares that node's right border."""
    if "_split" not in placed.node.attrs and not graph.node_attr(placed.node, "origin") and not placed.share_left:
        return False
    x, y = placed.pos
    left = lay.cells.get((x - 1, y))
    return isinstance(left, Placed) and left is not placed and _shows_box(graph, left.node)


def shares_top(graph: Graph, lay: Layout, placed: Placed) -> bool:
    """A later row of an autosplit node shares the bottom border of the visible field above."""
    if not split_row(placed.node) and not placed.share_top:  # (or a cluster's node below another)
        return False
    x, y = placed.pos
    up = lay.cells.get((x, y - 1))
    return isinstance(up, Placed) and up is not placed and _shows_box(graph, up.node)


def split_part(node: Node) -> bool:
    """A later field in a row of an autosplit node (``[ A | B ]``): it shares its left border."""
    return not node.attrs.get("_split", "0,0").startswith("0,")


def split_row(node: Node) -> bool:
    """A field in a later row of an autosplit node (``[ A || B ]``): it shares its top border."""
    return not node.attrs.get("_split", "0,0").endswith(",0")


def group_border(graph: Graph, group: Group) -> str:
    """A group's border style: dashed, none for an anonymous group (``( [A] )``)."""
    border = graph.attr("group", group.attrs, "border-style") or graph.attr("group", group.attrs, "border")
    default = "none" if group.name.startswith("#group") else "dashed"
    name = border.split()[0].lower() if border.split() else default
    return name if name in _BORDERS_BOX else "dashed"


def group_label_lines(graph: Graph, group: Group, boxart: bool = True) -> list[tuple[str, str]]:
    """The lines of a group's label (an explicit empty label is one empty line), aligned by ``align``."""
    raw = graph.attr("group", group.attrs, "label", "\0")
    if raw == "\0":
        if group.name.startswith("#group"):
            return []
        raw = group.name
    align = {"right": "r", "center": "c"}.get(graph.attr("group", group.attrs, "align").strip().lower(), "l")
    return shorten(graph, label_lines(raw, align), boxart)


def _group_cell_size(graph: Graph, cell: GroupCell, boxart: bool = True) -> tuple[int, int]:
    """A frame cell: the border takes two columns at the sides, the top a line and a blank (and the
    label's lines in the label cell), the bottom a blank and a line; without a border only the top's
    blank (and label) remain."""
    framed = group_border(graph, cell.group) != "none"
    lines = group_label_lines(graph, cell.group, boxart) if cell.label else []
    w = 2 if framed and cell.sides & {"W", "E"} else 0
    if lines:
        w = max(w, max(len(t) for t, _ in lines) + 2)
    h = 0
    if "N" in cell.sides:
        below = label_bottom(graph, cell.group)
        h = 2 + (0 if below else len(lines)) if framed else (0 if below else len(lines) + 1)
    if "S" in cell.sides:
        h = max(h, 2 * framed + (len(lines) + (not framed) if label_bottom(graph, cell.group) else 0))
    return w, h


def _draw_group_cell(canvas: _Canvas, style: Style, graph: Graph, cell: GroupCell,
                     x0: int, y0: int, w: int, h: int) -> None:
    border = group_border(graph, cell.group)
    sides = cell.sides
    if border != "none" and w and h:
        b = style.border(border)
        fill = b.top[1:-1]
        for y, (left, right) in ((y0, (b.top[0], b.top[-1])), (y0 + h - 1, (b.bottom[0], b.bottom[-1]))):
            if ("N" if y == y0 else "S") not in sides:
                continue
            line = [fill[(x - 1) % len(fill)] for x in range(x0, x0 + w)]
            if "W" in sides:
                line[0] = left
            if "E" in sides:
                line[-1] = right
            canvas.put(x0, y, "".join(line))
        alt = ":" if border == "dot-dot-dash" else "}" if border == "wave" and not style.boxart else ""
        first = y0 + ("N" in sides)
        for y in range(first, y0 + h - ("S" in sides)):
            odd = bool(alt) and (y - first) % 2 == 1  # some styles alternate two glyphs down each cell
            if "W" in sides:
                canvas.put(x0, y, alt if odd else b.side[0])
            if "E" in sides:
                canvas.put(x0 + w - 1, y, alt if odd else b.side[1])
    if not cell.label:
        return
    lines = group_label_lines(graph, cell.group, style.boxart)
    framed = border != "none"
    top = y0 + framed if "N" in sides and not label_bottom(graph, cell.group) else y0 + h - framed - len(lines)
    if not framed and label_bottom(graph, cell.group):
        top = y0  # no frame: the label, then a blank
    for i, (text, align) in enumerate(lines):
        x = {"r": x0 + w - len(text), "c": x0 + (w - len(text)) // 2}.get(align, x0)
        canvas.put(x, top + i, text)


def _cell_size(graph: Graph, cell: Placed | EdgeCell | GroupCell, lay: Layout | None = None,
               boxart: bool = True) -> tuple[int, int]:
    if isinstance(cell, GroupCell):
        return _group_cell_size(graph, cell, boxart)
    if isinstance(cell, Placed):
        if invisible(graph, cell.node):
            return 3, 3
        point = point_style(graph, cell.node)
        if point is not None:  # a point: its mark two columns in, on the middle line
            return (0, 0) if point == "invisible" else (5, 3)
        lines = node_label(graph, cell.node, boxart)
        bare = 2 if _node_border(graph, cell.node) == "none" else 0  # no border columns
        left = shares_left(graph, lay, cell) if lay is not None else split_part(cell.node)
        top = shares_top(graph, lay, cell) if lay is not None else split_row(cell.node)
        return (max(len(line) for line, _ in lines) + (3 if left else 4) - bare, len(lines) + (1 if top else 2))
    if cell.filler:  # spliced in by a group: as big as its column and row happen to be
        return 0, 0
    if cell.loop:
        width = max((len(t) for t, _ in label_lines(cell.label, "l")), default=0) if cell.label else 0
        return (width + 8, 3 if cell.loop == "N" else 2) if cell.loop in "NS" else (width + (7 if cell.loop == "W" else 8), 5)
    lines = edge_label(graph, cell.edge, cell.label, boxart) if cell.label and cell.label_room else []
    width = max((len(t) for t, _ in lines), default=0)
    # a dot-dot-dash line's cell at a node takes one more column, as if it ran east-west ("..-")
    ddd = line_style(graph, cell.edge) == "dot-dot-dash" and bool(cell.gaps)
    if cell.sides == {"E", "W"}:
        if _plain(cell):  # a line through: no width of its own (see _straight_runs)
            return 0, 3
        # " <──> ": a pattern's length (at least two) plus the arrows (at least one place), blanks either side
        pattern = _LINES_BOX.get(line_style(graph, cell.edge), ("─", ""))[0]
        bare = 2 + max(2, len(pattern)) + (2 if cell.edge.bidirectional else 1)
        return (width + (6 if cell.edge.bidirectional else 5) + ddd if lines else bare), len(lines) + 2 if lines else 3
    if cell.sides == {"N", "S"}:
        if _plain(cell):
            return 3, 0
        bare = 4 if cell.edge.bidirectional and (cell.gaps or cell.arrows) else 3  # ∧││∨: one longer
        return (width + 6 if lines else 6) if ddd else (width + 5 if lines else 3), max(bare, len(lines) + 2)
    height = 3 if "S" in cell.sides else 2  # the centre line, and the arm below it
    if len(cell.sides) >= 3 and "N" in cell.arrows and "S" in cell.sides:
        height = 4  # a joint under an arrow head: the head, a line, the centre, the arm below
    if len(cell.sides) >= 3 and "E" in cell.gaps:  # a joint: the centre, an arm of two, a blank
        return 6, height
    return 5 + ddd, height  # a corner or joint: its line two in, an arm either side


def _plain(cell: object) -> bool:
    """A horizontal edge cell that only passes through (no node, label, arrow or crossing)."""
    return (isinstance(cell, EdgeCell) and cell.sides in ({"E", "W"}, {"N", "S"}) and not cell.gaps
            and not cell.label and not cell.loop and not cell.cross)


def _plain_along(cell: object, sides: set[str]) -> bool:
    return _plain(cell) and isinstance(cell, EdgeCell) and cell.sides == sides


def _straight_runs(lay: Layout, widths: dict[int, int], heights: dict[int, int],
                   skip: frozenset[int] | set[int] = frozenset()) -> None:
    """A run of pass-through cells between two bends that both touch a node (a U-turn) is at
    least 5 wide (3 high; its last column or row grows); other runs need no room."""
    for (x, y), cell in lay.cells.items():
        if not isinstance(cell, EdgeCell) or not _plain(cell) or id(cell) in skip:
            continue  # (skip: pieces whose room is settled elsewhere)
        dx, dy = (1, 0) if cell.sides == {"E", "W"} else (0, 1)
        if _plain_along(lay.cells.get((x - dx, y - dy)), cell.sides):
            continue
        n = 0
        while _plain_along(lay.cells.get((x + dx * (n + 1), y + dy * (n + 1))), cell.sides):
            n += 1
        ends = (lay.cells.get((x - dx, y - dy)), lay.cells.get((x + dx * (n + 1), y + dy * (n + 1))))
        if not all(isinstance(c, EdgeCell) and c.sides != cell.sides and c.gaps for c in ends):
            continue  # only a U-turn between two bends at nodes needs room of its own
        if dx:
            widths[x] += max(0, 5 - sum(widths[x + i] for i in range(n + 1)))
        else:
            heights[y + n] += max(0, 3 - sum(heights[y + i] for i in range(n + 1)))


@dataclass(frozen=True)
class Geometry:
    """Where each grid column and row starts (in characters) and how big it is."""

    colx: dict[int, int]
    rowy: dict[int, int]
    widths: dict[int, int]
    heights: dict[int, int]
    width: int
    height: int

    def rect(self, pos: tuple[int, int], size: tuple[int, int] = (1, 1)) -> tuple[int, int, int, int]:
        x, y = pos
        w = sum(self.widths[x + i] for i in range(size[0]))
        h = sum(self.heights[y + j] for j in range(size[1]))
        return self.colx[x], self.rowy[y], w, h


def _straight(cell: EdgeCell) -> bool:
    return cell.sides in ({"E", "W"}, {"N", "S"})


def collapsed_lines(lay: Layout) -> set[int]:
    """Straight pieces (ids) of edges that share a port which take no room along their line:
    all but the last straight run before the edge's end (its target, or the joint it ends on),
    unless they touch a node, carry a label or arrow, or are crossed."""
    needed: set[int] = set()
    candidates: set[int] = set()
    for path in lay.paths:
        if not any(c.port is not None and len(c.port) in (3, 4) for c in path):
            continue
        for cell in reversed(path[:-1]):
            if not _straight(cell):
                break
            needed.add(id(cell))
        candidates |= {id(c) for c in path if _straight(c) and not (c.gaps or c.label or c.arrows or c.cross)}
    return candidates - needed


def _run_need(graph: Graph, cell: EdgeCell, across: bool) -> int:
    """The room a straight piece needs along its line when it stands for a run of them."""
    if across:
        pattern = _LINES_BOX.get(line_style(graph, cell.edge), ("─", ""))[0]
        return 2 + max(2, len(pattern)) + (2 if cell.edge.bidirectional else 1)
    return 4 if cell.edge.bidirectional and cell.arrows else 3


def merged_runs(lay: Layout) -> tuple[list[list[EdgeCell]], set[int]]:
    """Runs of two or more straight pieces of one edge need their length once between them, not
    each (Graph::Easy merges them into one cell); a run that goes on into the piece at the
    target takes no room at all (that piece has its own). Of an edge sharing a port only the
    last run counts (the others collapse)."""
    runs: list[list[EdgeCell]] = []
    absorbed: set[int] = set()
    for path in lay.paths:
        first, shares = 0, False
        if any(c.port is not None for c in path):
            shares = True
            if not any(c.port is not None and len(c.port) in (3, 4) for c in path):
                continue
            first = len(path) - 1
            while first > 0 and _straight(path[first - 1]):
                first -= 1
        run: list[EdgeCell] = []
        for i, cell in enumerate(path[first:], first):
            plain = _straight(cell) and not (cell.label or cell.cross or cell.loop)
            if plain and (not cell.gaps or i == 0) and (not run or run[-1].sides == cell.sides) \
                    and not (i == len(path) - 1 and cell.gaps):
                run.append(cell)  # (the piece out of the source starts a run)
                continue
            if plain and i == len(path) - 1 and run and run[-1].sides == cell.sides:
                absorbed |= {id(c) for c in run if not c.gaps}
            elif len(run) > 1 or (shares and run):  # (a port-sharing edge's last run, even of one)
                runs.append(run)
            run = []
        if len(run) > 1 or (shares and run):
            runs.append(run)
    return runs, absorbed


def _bare_run_end(lay: Layout, pos: tuple[int, int], cell: object) -> str | None:
    """For a straight edge of several cells with no arrow at all (``--``): "start" for its piece
    at the source (it takes no room), "end" for its piece at the target (drawn without blanks,
    the line touching both nodes), as Graph::Easy draws them; else None."""
    if not isinstance(cell, EdgeCell) or cell.edge.directed or cell.edge.bidirectional or cell.loop \
            or cell.sides not in ({"E", "W"}, {"N", "S"}) or len(cell.gaps) != 1 or cell.label or cell.cross:
        return None
    (gap,) = cell.gaps
    dx, dy = DELTA[gap]
    beyond = lay.cells.get((pos[0] - dx, pos[1] - dy))
    if not (isinstance(beyond, EdgeCell) and beyond.edge is cell.edge and beyond.sides == cell.sides):
        return None
    node = lay.cells.get((pos[0] + dx, pos[1] + dy))
    if isinstance(node, Placed) and node.node is cell.edge.source:
        return "start"
    return "end" if isinstance(node, Placed) and node.node is cell.edge.target else None


def _spread(sizes: dict[int, int], cols: list[int], need: int) -> None:
    """Make ``cols`` at least ``need`` wide together: columns already wider than an even share keep
    their size, the others split the rest evenly (the first ones take the remainder)."""
    fixed: set[int] = set()
    while True:
        free = [c for c in cols if c not in fixed]
        rest = need - sum(sizes[c] for c in fixed)
        if rest <= 0 or not free:
            return
        shares = {c: rest // len(free) + (1 if i < rest % len(free) else 0) for i, c in enumerate(free)}
        wide = {c for c in free if sizes[c] > shares[c]}
        if not wide:
            for c in free:
                sizes[c] = shares[c]
            return
        fixed |= wide


def geometry(graph: Graph, lay: Layout, boxart: bool = True) -> Geometry:
    xs = sorted({p[0] for p in lay.cells})
    ys = sorted({p[1] for p in lay.cells})
    widths = dict.fromkeys(range(xs[0], xs[-1] + 1), 0)
    heights = dict.fromkeys(range(ys[0], ys[-1] + 1), 0)
    multi = []
    busy: set[int] = set()
    collapsed = collapsed_lines(lay)
    runs, absorbed = merged_runs(lay)
    in_run = {id(c) for run in runs for c in run if not c.gaps} | absorbed  # the piece out of the source keeps its room
    for pos, cell in lay.cells.items():
        if isinstance(cell, Placed) and cell.size != (1, 1):
            multi.append(cell)
            continue
        w, h = _cell_size(graph, cell, lay, boxart)
        if id(cell) in collapsed or id(cell) in in_run:
            w, h = (0, h) if isinstance(cell, EdgeCell) and cell.sides == {"E", "W"} else (w, 0)
        if isinstance(cell, EdgeCell) and _bare_run_end(lay, pos, cell) == "start":
            w, h = (0, h) if cell.sides == {"E", "W"} else (w, 0)
        if h and not isinstance(cell, GroupCell):
            busy.add(pos[1])
        widths[pos[0]] = max(widths[pos[0]], w)
        heights[pos[1]] = max(heights[pos[1]], h)
    _straight_runs(lay, widths, heights, collapsed | in_run)
    for (_, y), cell in lay.cells.items():  # an edge's end in a spliced row that has room: a whole edge cell
        if isinstance(cell, EdgeCell) and cell.hole and heights[y]:
            heights[y] = max(heights[y], 3)
    # a multi-cell node too big for its columns (rows) spreads its size evenly over them, leaving
    # those already wide enough alone and ignoring trailing ones that hold only such nodes' fillers
    inner = [pos for pos, cell in lay.cells.items() if not (isinstance(cell, Placed) and pos != cell.pos)]
    max_x = max(p[0] for p in inner)
    max_y = max(p[1] for p in inner)
    for placed in {id(p): p for p in multi}.values():
        w, h = _cell_size(graph, placed, lay, boxart)
        (x, y), (cw, ch) = placed.pos, placed.size
        if ch > 1:  # a tall node's rows that hold anything else (but a group's frame) are at least a box's height
            for j in range(ch):
                if y + j in busy:
                    heights[y + j] = max(heights[y + j], 3)
        _spread(widths, list(range(x, x + max(1, min(cw, max_x - x + 1)))), w)
        _spread(heights, list(range(y, y + max(1, min(ch, max_y - y + 1)))), h)
    if runs:
        where = {id(c): p for p, c in lay.cells.items()}
        for run in runs:
            across = run[0].sides == {"E", "W"}
            need = max(_run_need(graph, c, across) for c in run)
            spots = [where[id(c)][0 if across else 1] for c in run if id(c) in where]
            sizes = widths if across else heights
            if spots:
                sizes[spots[0]] += max(0, need - sum(sizes[i] for i in set(spots)))
    colx: dict[int, int] = {}
    rowy: dict[int, int] = {}
    acc = 0
    for x in sorted(widths):
        colx[x] = acc
        acc += widths[x]
    total_w = acc
    acc = 0
    for y in sorted(heights):
        rowy[y] = acc
        acc += heights[y]
    return Geometry(colx, rowy, widths, heights, total_w, acc)


def frame_rect(geo: Geometry, frame: Frame) -> tuple[int, int, int, int]:
    (left, top), (right, bottom) = frame.top_left, frame.bottom_right
    x0, y0 = geo.colx[left], geo.rowy[top]
    return x0, y0, geo.colx[right] + geo.widths[right] - x0, geo.rowy[bottom] + geo.heights[bottom] - y0


def title_offset(graph: Graph) -> int:
    """Lines the graph's label takes above the drawing (it may sit below instead)."""
    if not graph.graph_attr("label").strip():
        return 0
    return 0 if graph.graph_attr("label-pos").strip().lower() == "bottom" else 3


def draw(graph: Graph, lay: Layout, *, boxart: bool = True) -> str:
    style = Style(boxart)
    if not lay.cells:
        return "\n"
    geo = geometry(graph, lay, boxart)
    canvas = _Canvas(geo.width, geo.height)
    for pos, cell in lay.cells.items():
        if isinstance(cell, GroupCell):
            _draw_group_cell(canvas, style, graph, cell, *geo.rect(pos))
    for pos, cell in _joined_fillers(lay, geo).items():
        if _bare_run_end(lay, pos, cell) == "end":  # an arrowless run's line reaches into both nodes
            cell = replace(cell, gaps=set())
        _draw_edge(canvas, style, graph, cell, *geo.rect(pos), open_sides=_open_sides(graph, lay, pos, cell))
    for pos, cell in lay.cells.items():  # labels that overhang their cell go over the lines
        if isinstance(cell, EdgeCell) and cell.label and not cell.label_room and not cell.loop \
                and line_style(graph, cell.edge) != "invisible":
            x0, y0, w, h = geo.rect(pos)
            if cell.sides == {"E", "W"}:
                _put_label(canvas, edge_label(graph, cell.edge, cell.label, style.boxart), x0 + (2 if "W" in cell.gaps else 1),
                           y0 + h // 2 - 1, upward=True)
            elif cell.sides == {"N", "S"}:
                _put_label(canvas, edge_label(graph, cell.edge, cell.label, style.boxart), x0 + 4, y0 + h // 2, upward=False)
    shared = {p.node: (shares_left(graph, lay, p), shares_top(graph, lay, p)) for p in lay.nodes.values()}
    for placed in sorted(lay.nodes.values(), key=lambda p: any(shared[p.node])):
        _draw_node(canvas, style, graph, placed.node, *geo.rect(placed.pos, placed.size),
                   fields=_field_neighbours(lay, placed, *shared[placed.node]))
    text = canvas.text()
    label = graph.graph_attr("label").strip()
    if label:  # the graph's label, centred over the drawing, a blank line either side
        line = " " * max(0, (geo.width - len(label) - 1) // 2) + label
        if graph.graph_attr("label-pos").strip().lower() == "bottom":
            return text + "\n" + line + "\n\n"
        return "\n" + line + "\n\n" + text
    return text


def _joined_fillers(lay: Layout, geo: Geometry) -> dict[tuple[int, int], EdgeCell]:
    """The edge cells to draw: where a filler piece (spliced in by a group) has room, it takes over
    the gap and the arrow its neighbour had on that side."""
    out = {pos: cell for pos, cell in lay.cells.items() if isinstance(cell, EdgeCell)}
    for (x, y), cell in list(out.items()):
        if not cell.filler or not (cell.gaps or cell.arrows):
            continue
        side = next(iter(cell.gaps | cell.arrows))
        if not (geo.widths[x] if side in "EW" else geo.heights[y]):
            continue
        dx, dy = DELTA[side]  # the neighbour inward, away from that side
        inner = out.get((x - dx, y - dy))
        if inner is not None:
            out[(x - dx, y - dy)] = replace(inner, gaps=inner.gaps - {side}, arrows=inner.arrows - {side})
    return out


def _field_neighbours(lay: Layout, placed: Placed, left: bool, top: bool) -> tuple[Node | None, Node | None]:
    """The nodes whose border a node shares, on its left and above (None: none)."""
    x, y = placed.pos
    before = lay.cells.get((x - 1, y)) if left else None
    above = lay.cells.get((x, y - 1)) if top else None
    return (before.node if isinstance(before, Placed) else None, above.node if isinstance(above, Placed) else None)


_MERGED_BOLD = Border("▛▀▜", "▐▐", "▙▄▟")  # a bold field's border shared with the next field


def _shared_border(style: Style, graph: Graph, before: Node, node: Node) -> Border:
    """The border two fields share: a bold field before wins (half blocks in boxart), then bold,
    double, solid; dashed meets dotted as dot-dash."""
    a, b = (("solid" if n == "rounded" else n) for n in (_node_border(graph, before), _node_border(graph, node)))
    if a == "bold":
        return _MERGED_BOLD if style.boxart else style.border("bold")
    for strong in ("bold", "double", "solid"):
        if strong in (a, b):
            return style.border(strong)
    if a != b and {a, b} == {"dashed", "dotted"}:
        return style.border("dot-dash")
    return style.border(b)


def _no_shape(graph: Graph, node: Node) -> bool:
    return graph.node_attr(node, "shape").strip().lower() == "none"


def _draw_node(canvas: _Canvas, style: Style, graph: Graph, node: Node, x0: int, y0: int, w: int, h: int,
               fields: tuple[Node | None, Node | None] = (None, None)) -> None:
    if _edge_shaped(graph, node):
        _draw_edge_node(canvas, graph, node, x0, y0, w, h)
        return
    if invisible(graph, node):
        return
    left, top = fields[0] is not None, fields[1] is not None
    if _no_shape(graph, node):  # only the label
        _draw_label(canvas, graph, node, x0 - left, y0 - top, w + left, h + top, right=left, boxart=style.boxart)
        return
    point = point_style(graph, node)
    if point is not None:
        canvas.put(x0 + 2, y0 + h // 2, (_POINTS_BOX if style.boxart else _POINTS_ASCII)[point])
        return
    if left or top:  # drawn from the previous node's right / bottom border
        x0, w = (x0 - 1, w + 1) if left else (x0, w)
        y0, h = (y0 - 1, h + 1) if top else (y0, h)
        b = style.border(_node_border(graph, node))
        if not top:
            canvas.put(x0 + 1, y0, _border_line(b.top, w)[1:])
        canvas.put(x0 + (1 if left else 0), y0 + h - 1, _border_line(b.bottom, w)[1 if left else 0:])
        for y in range(y0 + 1, y0 + h - 1):
            canvas.put(x0 + w - 1, y, b.at(y - y0 - 1, True))
            if not left:
                canvas.put(x0, y, b.at(y - y0 - 1, False))
        before, above = fields
        if before is not None:  # the side shared with the node on the left
            bare = _no_shape(graph, before)
            side = b.side[0] if bare else _shared_border(style, graph, before, node).side[0]
            for y in range(y0 + (0 if bare else 1), y0 + h - 1):
                canvas.put(x0, y, side)
        if above is not None and not _no_shape(graph, above):  # the line shared with the node above
            line = _border_line(_shared_border(style, graph, above, node).bottom, w)
            canvas.put(x0 + left, y0, line[left:])
        # a cluster's node under another centres its label rounding down from the shared line
        _draw_label(canvas, graph, node, x0, y0, w, h, right=left, boxart=style.boxart,
                    lower=top and not split_row(node))
        return
    b = style.border(_node_border(graph, node))
    if graph.node_attr(node, "shape") == "rounded":
        b = _rounded(b, style.boxart and _node_border(graph, node) not in ("double", "bold"))
    canvas.put(x0, y0, _border_line(b.top, w))
    canvas.put(x0, y0 + h - 1, _border_line(b.bottom, w))
    for y in range(y0 + 1, y0 + h - 1):  # some styles' sides alternate (dot-dot-dash: a line and ':')
        canvas.put(x0, y, b.at(y - y0 - 1, False) + " " * (w - 2) + b.at(y - y0 - 1, True))
    _draw_label(canvas, graph, node, x0, y0, w, h, boxart=style.boxart)


def _draw_label(canvas: _Canvas, graph: Graph, node: Node, x0: int, y0: int, w: int, h: int,
                right: bool = False, boxart: bool = True, lower: bool = False) -> None:
    """The label centred in the box (a later autosplit field rounds to the right)."""
    lines = node_label(graph, node, boxart)
    inner = w - 2
    pad = 0 if _node_border(graph, node) == "none" else 1  # a left/right-aligned line's distance to the border
    top_y = y0 + 1 + (h - 2 - len(lines) + lower) // 2
    for i, (line, align) in enumerate(lines):
        x = {"l": pad, "r": inner - pad - len(line)}.get(align, (inner - len(line) + right) // 2)
        canvas.put(x0 + 1 + x, top_y + i, line)


def _border_line(spec: str, w: int, x0: int = 0) -> str:
    """A top or bottom border ``w`` wide; a pattern's phase follows the column ``x0`` it starts at."""
    left, fill, right = spec[0], spec[1:-1], spec[-1]
    body = "".join(fill[(x0 + i) % len(fill)] for i in range(w - 2))
    return left + body + right


def _edge_shaped(graph: Graph, node: Node) -> bool:
    return graph.node_attr(node, "shape").strip().lower() == "edge"


def _open_sides(graph: Graph, lay: Layout, pos: tuple[int, int], cell: EdgeCell) -> frozenset[str]:
    """Sides where an edge runs on into a ``shape: edge`` node without the usual blank (no arrow there)."""
    out = set()
    for side, dx in (("W", -1), ("E", 1)):
        other = lay.cells.get((pos[0] + dx, pos[1]))
        if side in cell.gaps and side not in cell.arrows and isinstance(other, Placed) and _edge_shaped(graph, other.node):
            out.add(side)
    return frozenset(out)


def _draw_edge_node(canvas: _Canvas, graph: Graph, node: Node, x0: int, y0: int, w: int, h: int) -> None:
    """A ``shape: edge`` node: a dashed run through its middle, its label on the line above."""
    canvas.put(x0, y0 + h // 2, "-" * w)
    for i, (text, _) in enumerate(node_label(graph, node)):
        if text:
            canvas.put(x0 + 1, y0 + h // 2 - 1 + i, text)


def _arrow_chars(style: Style, kind: str, hpat: str, vch: str) -> Callable[[str], str]:
    """The arrow heads of an edge's ``arrow-style``: none draws the line on, the others are
    :meth:`Style.arrow`'s."""
    def arrow(side: str) -> str:
        if kind == "none":
            return hpat[0] if side in "EW" else vch
        return style.arrow(side, kind)
    return arrow


def _draw_edge(canvas: _Canvas, style: Style, graph: Graph, cell: EdgeCell, x0: int, y0: int, w: int, h: int,
               open_sides: frozenset[str] = frozenset()) -> None:
    edge_style = line_style(graph, cell.edge)
    hpat, vch = style.line(edge_style)
    kind = graph.edge_attr(cell.edge, "arrow-style").strip().lower() or "open"
    arrow = _arrow_chars(style, kind, hpat, vch)
    cy = y0 + max(h - 2, h // 2)  # beside a tall node: on its last inner line
    cx = x0 + 2
    sides = cell.sides
    if cell.loop:
        _draw_loop(canvas, style, cell, hpat, vch, edge_style, kind, x0, y0, w, h)
        return
    full_cross = sides == {"N", "S", "E", "W"} and cell.cross
    if full_cross and cell.crossed_by is not None:
        _draw_crossing(canvas, style, graph, cell, x0, y0, w, h)
        return
    if edge_style == "invisible":  # takes its room, draws nothing
        return
    if sides == {"E", "W"} or full_cross:
        gaps = cell.gaps - open_sides
        start = x0 + (1 if "W" in gaps else 0)
        end = x0 + w - (1 if "E" in gaps else 0)
        n = end - start
        # a line out of a node starts its pattern there (an undirected edge's with the pattern's last
        # character); elsewhere the pattern runs on from the drawing's left edge (across a bent path's cells)
        phase = (0 if cell.edge.directed else len(hpat) - 1) if "W" in gaps else start
        if cell.edge.directed and ("W" in gaps) != ("E" in gaps) and not cell.label:
            phase = (1 - n) % len(hpat)  # an end of a run of several cells: it ends on the pattern's start
        run = "".join(hpat[(phase + i) % len(hpat)] for i in range(n))
        chars = list(run)
        if "W" in cell.arrows and chars:
            chars[0] = arrow("W")
        if "E" in cell.arrows and chars:
            chars[-1] = arrow("E")
        if cell.label:
            lines = edge_label(graph, cell.edge, cell.label, style.boxart)
            cy = (y0 + h - 2 if cell.gaps else y0 + len(lines)) if cell.label_room else cy
            width = max(len(t) for t, _ in lines)
            align = lines[0][1]  # an aligned label sits against its cell's right (or centre)
            lx = {"r": x0 + w - 3 - width, "c": start + 1 + (x0 + w - 4 - start - width) // 2}.get(align, start + 1)
            _put_label(canvas, lines, max(start + 1, lx), cy - 1, upward=True)
        canvas.put(start, cy, "".join(chars))
        if not full_cross:
            return
    if sides == {"N", "S"} or full_cross:
        for y in range(y0, y0 + h):
            ch = vch
            if y == y0 and "N" in cell.arrows:
                ch = arrow("N")
            if y == y0 + h - 1 and "S" in cell.arrows:
                ch = arrow("S")
            canvas.put(cx, y, ch)
        if full_cross:
            canvas.put(cx, cy, style.corner(frozenset("NSEW"), edge_style))
        if cell.label:  # its lines centred beside the line (from the second row)
            lines = edge_label(graph, cell.edge, cell.label, style.boxart)
            _put_label(canvas, lines, cx + 2, y0 + (h - len(lines) + 1) // 2, upward=False)
        return
    if cell.label:  # a bend carries the label when its path has no straight cell
        _put_label(canvas, edge_label(graph, cell.edge, cell.label, style.boxart), cx + 2, cy - 1, upward=True)
    # a corner (or joint): arms from the centre point
    if "N" in sides:
        for y in range(y0, cy):
            canvas.put(cx, y, arrow("N") if y == y0 and "N" in cell.arrows else vch)
    if "S" in sides:
        for y in range(cy + 1, y0 + h):
            canvas.put(cx, y, arrow("S") if y == y0 + h - 1 and "S" in cell.arrows else vch)
    if "W" in sides:
        for x in range(x0 + (1 if "W" in cell.gaps else 0), cx):
            canvas.put(x, cy, hpat[x % len(hpat)])
        if "W" in cell.arrows:
            canvas.put(x0 + 1, cy, arrow("W"))
    if "E" in sides:
        for x in range(cx + 1, x0 + w - (1 if "E" in cell.gaps else 0)):
            canvas.put(x, cy, hpat[x % len(hpat)])
        if "E" in cell.arrows:
            canvas.put(x0 + w - 2, cy, arrow("E"))
    canvas.put(cx, cy, style.corner(frozenset(sides), edge_style))




def _draw_crossing(canvas: _Canvas, style: Style, graph: Graph, cell: EdgeCell, x0: int, y0: int, w: int,
                   h: int) -> None:
    """Two edges crossing: each line in its own style (an invisible one not at all), the glyph
    where they meet from Graph::Easy's table of style pairs."""
    assert cell.crossed_by is not None
    across, upright = (cell.edge, cell.crossed_by) if cell.crossed_upright else (cell.crossed_by, cell.edge)
    h_style = line_style(graph, across)
    v_style = line_style(graph, upright)
    hpat, _ = style.line(h_style)
    _, vch = style.line(v_style)
    cy, cx = y0 + max(h - 2, h // 2), x0 + 2
    if h_style != "invisible":
        start, end = x0 + (1 if "W" in cell.gaps else 0), x0 + w - (1 if "E" in cell.gaps else 0)
        n = end - start  # its pattern ends on its start, as in a straight run of several cells
        canvas.put(start, cy, "".join(hpat[(1 - n + i) % len(hpat)] for i in range(n)))
    if v_style != "invisible":
        for y in range(y0, y0 + h):
            canvas.put(cx, y, vch)
    if h_style != "invisible" and v_style != "invisible":
        canvas.put(cx, cy, style.cross(h_style, v_style))


def _put_label(canvas: _Canvas, lines: list[tuple[str, str]], x: int, y: int, *, upward: bool) -> None:
    """An edge label: its last line at ``y`` (upward) or its first line at ``y``."""
    width = max(len(t) for t, _ in lines)
    top = y - len(lines) + 1 if upward else y
    for i, (text, align) in enumerate(lines):
        dx = {"r": width - len(text), "c": (width - len(text)) // 2}.get(align, 0)
        canvas.put(x + dx, top + i, text)


def _draw_loop(canvas: _Canvas, style: Style, cell: EdgeCell, hpat: str, vch: str, edge_style: str, kind: str,
               x0: int, y0: int, w: int, h: int) -> None:
    """A self-loop beside its node: out of the node and back in, its label along the far side."""
    both = cell.edge.bidirectional and kind != "none"
    arrow = cell.edge.directed and kind != "none"
    label = " ".join(t for t, _ in label_lines(cell.label, "l")) if cell.label else ""
    corner = style.corner

    def run(a: int, b: int) -> str:
        return "".join(hpat[i % len(hpat)] for i in range(max(0, b - a)))

    if cell.loop == "N":
        left, right, yc = x0 + 2, x0 + w - 3, y0 + h - 2
        canvas.put(left, yc, corner(frozenset("ES"), edge_style) + run(left + 1, right) + corner(frozenset("WS"), edge_style))
        canvas.put(left, yc + 1, style.arrow("S", kind) if arrow else vch)
        canvas.put(right, yc + 1, style.arrow("S", kind) if both else vch)
        if label:
            canvas.put(x0 + 4, yc - 1, label)
    elif cell.loop == "S":
        left, right = x0 + 2, x0 + w - 3
        canvas.put(left, y0, style.arrow("N", kind) if arrow else vch)
        canvas.put(right, y0, style.arrow("N", kind) if both else vch)
        if label:
            canvas.put(x0 + 4, y0, label)
        canvas.put(left, y0 + 1, corner(frozenset("EN"), edge_style) + run(left + 1, right) + corner(frozenset("WN"), edge_style))
    elif cell.loop == "W":
        xc, top, bottom = x0 + 2, y0 + 1, y0 + h - 2
        canvas.put(xc, top, corner(frozenset("ES"), edge_style) + run(xc + 1, x0 + w - 1))
        canvas.put(xc, bottom, corner(frozenset("EN"), edge_style) + run(xc + 1, x0 + w - 1))
        if arrow:
            canvas.put(x0 + w - 2, bottom, style.arrow("E", kind))
        if both:
            canvas.put(x0 + w - 2, top, style.arrow("E", kind))
        for y in range(top + 1, bottom):
            canvas.put(xc, y, vch)
        if label:
            canvas.put(x0 + 4, y0, label)
    else:
        xc, top, bottom = x0 + w - 4, y0 + 1, y0 + h - 2
        canvas.put(x0 + 1, top, run(x0 + 1, xc) + corner(frozenset("WS"), edge_style))
        canvas.put(x0 + 1, bottom, run(x0 + 1, xc) + corner(frozenset("WN"), edge_style))
        if arrow:
            canvas.put(x0 + 1, bottom, style.arrow("W", kind))
        if both:
            canvas.put(x0 + 1, top, style.arrow("W", kind))
        for y in range(top + 1, bottom):
            canvas.put(xc, y, vch)
        if label:
            canvas.put(x0 + 3, y0, label)
