"""The grid a layout fills: placed nodes, edge cells and group frame cells by position, and the
compass (sides by name, their steps as (dx, dy)). Shared by the layouter, the group splice and
the renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from slidekit.diagram.model import Edge, Group, Node

Pos = tuple[int, int]

# directions as (dx, dy); sides by name
DELTA = {"N": (0, -1), "E": (1, 0), "S": (0, 1), "W": (-1, 0)}
OPPOSITE = {"N": "S", "S": "N", "E": "W", "W": "E"}


@dataclass(eq=False)
class GroupCell:
    """A cell of a group's frame."""

    group: Group
    sides: frozenset[str]  # the sides of the cell the frame's border runs along (N, S, E, W)
    label: bool = False  # the cell that holds the group's label


@dataclass
class Frame:
    """The box around a group's cells (its outline may be less than the whole box)."""

    group: Group
    top_left: Pos
    bottom_right: Pos


@dataclass(eq=False)
class EdgeCell:
    """One grid cell of one or more edge paths: the sides its lines reach."""

    edge: Edge
    sides: set[str] = field(default_factory=set)
    arrows: set[str] = field(default_factory=set)  # sides where an arrow points into a node
    gaps: set[str] = field(default_factory=set)  # sides that touch a node
    label: str = ""
    cross: bool = False
    port: tuple[object, ...] | None = None  # edges sharing a start (or end) port share their cells
    loop: str = ""  # a self-loop: the side of its node it sits on
    label_room: bool = True  # the label adds to the cell's size (else it overhangs the next cells)
    crossed_by: Edge | None = None  # a later edge crossing this cell straight across
    crossed_upright: bool = False  # ... and whether that one runs north-south
    filler: bool = False  # a piece spliced in between a group's lines: it takes no room of its own
    hole: bool = False  # a filler between an edge's end and its node outside a group


@dataclass(eq=False)
class Placed:
    node: Node
    pos: Pos
    size: tuple[int, int] = (1, 1)
    share_left: bool = False  # a cluster neighbour's right border is this node's left border
    share_top: bool = False  # ... its bottom border is this node's top border

    def covers(self) -> list[Pos]:
        x, y = self.pos
        return [(x + i, y + j) for i in range(self.size[0]) for j in range(self.size[1])]

    def side_cells(self, side: str) -> list[Pos]:
        """The cells just outside the node on ``side``, in order."""
        x, y = self.pos
        w, h = self.size
        if side == "E":
            return [(x + w, y + j) for j in range(h)]
        if side == "W":
            return [(x - 1, y + j) for j in range(h)]
        if side == "S":
            return [(x + i, y + h) for i in range(w)]
        return [(x + i, y - 1) for i in range(w)]


@dataclass
class Layout:
    nodes: dict[Node, Placed] = field(default_factory=dict)
    cells: dict[Pos, Placed | EdgeCell | GroupCell] = field(default_factory=dict)
    unrouted: list[Edge] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    paths: list[list[EdgeCell]] = field(default_factory=list)  # each routed edge's cells, in order
