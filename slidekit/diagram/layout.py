"""Place a :class:`Graph` on an integer cell grid and route its edges.

Nodes sit on grid cells two apart (the cell between holds the edge). Placement follows the
flow: the longest chain of successors runs in the flow direction, branches go to the
flow's right, back and left; disconnected parts go below. Edges take the straight cells
between aligned nodes, otherwise an A* path over free cells (a bend costs 6, crossing
another edge 30).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from slidekit.diagram.model import Edge, Graph, Node

Pos = tuple[int, int]

# directions as (dx, dy); sides by name
DELTA = {"N": (0, -1), "E": (1, 0), "S": (0, 1), "W": (-1, 0)}
OPPOSITE = {"N": "S", "S": "N", "E": "W", "W": "E"}
_FLOWS = {
    "east": "E", "right": "E", "forward": "E", "0": "N", "90": "E", "180": "S", "270": "W", "360": "N",
    "south": "S", "down": "S", "west": "W", "left": "W", "back": "W", "north": "N", "up": "N",
}
_CLOCKWISE = ["N", "E", "S", "W"]


def turn(side: str, steps: int) -> str:
    return _CLOCKWISE[(_CLOCKWISE.index(side) + steps) % 4]


def flow_of(value: str, base: str = "E") -> str:
    value = value.strip().lower()
    if value in ("front", "forward"):
        return base
    if value == "back":
        return turn(base, 2)
    if value == "right":
        return turn(base, 1)
    if value == "left":
        return turn(base, 3)
    return _FLOWS.get(value, base)


@dataclass(eq=False)
class EdgeCell:
    """One grid cell of one or more edge paths: the sides its lines reach."""

    edge: Edge
    sides: set[str] = field(default_factory=set)
    arrows: set[str] = field(default_factory=set)  # sides where an arrow points into a node
    gaps: set[str] = field(default_factory=set)  # sides that touch a node
    label: str = ""
    cross: bool = False


@dataclass
class Placed:
    node: Node
    pos: Pos
    size: tuple[int, int] = (1, 1)


@dataclass
class Layout:
    nodes: dict[Node, Placed] = field(default_factory=dict)
    cells: dict[Pos, Placed | EdgeCell] = field(default_factory=dict)
    unrouted: list[Edge] = field(default_factory=list)


def _side_of(graph: Graph, edge: Edge, key: str, flow: str) -> str | None:
    value = graph.edge_attr(edge, key)
    if not value:
        return None
    side = value.split(",")[0].strip().lower()
    if side in ("front", "forward", "back", "left", "right"):
        return {"front": flow, "forward": flow, "back": turn(flow, 2), "left": turn(flow, 3), "right": turn(flow, 1)}[side]
    return {"north": "N", "south": "S", "east": "E", "west": "W", "up": "N", "down": "S"}.get(side)


class _Layouter:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.out = Layout()
        self.flow = flow_of(graph.graph_attr("flow", "east"))
        self.succ: dict[Node, list[Edge]] = {n: [] for n in graph.nodes.values()}
        self.pred: dict[Node, list[Edge]] = {n: [] for n in graph.nodes.values()}
        for e in graph.edges:
            self.succ[e.source].append(e)
            self.pred[e.target].append(e)
        self.routed: set[Edge] = set()
        self._depth: dict[Node, int] = {}
        self.entered: dict[Node, str] = {}  # the direction of the edge a node was placed along

    # -- placement ---------------------------------------------------------------------------
    def free(self, pos: Pos, size: tuple[int, int] = (1, 1)) -> bool:
        x, y = pos
        return all((x + i, y + j) not in self.out.cells for i in range(size[0]) for j in range(size[1]))

    def put(self, node: Node, pos: Pos) -> None:
        placed = Placed(node, pos)
        self.out.nodes[node] = placed
        self.out.cells[pos] = placed

    def depth(self, node: Node, seen: frozenset[Node] = frozenset()) -> int:
        """Length of the longest simple successor chain from ``node`` (cycles cut)."""
        if node in self._depth:
            return self._depth[node]
        best = 0
        for e in self.succ[node]:
            t = e.target
            if t is node or t in seen or t in self.out.nodes:
                continue
            best = max(best, 1 + self.depth(t, seen | {node}))
        if not seen:
            self._depth[node] = best
        return best

    def node_flow(self, node: Node) -> str:
        base = self.entered.get(node, self.flow)
        value = self.g.node_attr(node, "flow")
        return flow_of(value, base) if value else base

    def candidates(self, anchor: Placed, flow: str) -> list[Pos]:
        x, y = anchor.pos
        out = []
        for side in (flow, turn(flow, 1), turn(flow, 2), turn(flow, 3)):
            dx, dy = DELTA[side]
            out.append((x + 2 * dx, y + 2 * dy))
        return out

    def place_from(self, edge: Edge) -> bool:
        anchor = self.out.nodes[edge.source]
        flow_attr = self.g.edge_attr(edge, "flow")
        flow = flow_of(flow_attr, self.node_flow(edge.source)) if flow_attr else self.node_flow(edge.source)
        for pos in self.candidates(anchor, flow):
            mid = ((pos[0] + anchor.pos[0]) // 2, (pos[1] + anchor.pos[1]) // 2)
            if self.free(pos) and self.free(mid):
                self.put(edge.target, pos)
                self.entered[edge.target] = _dir(anchor.pos, pos)
                self.route(edge)
                return True
        return False

    def best_edges(self, node: Node) -> list[Edge]:
        edges = [e for e in self.succ[node] if e.target not in self.out.nodes and e.target is not node]
        edges.sort(key=lambda e: (-self.depth(e.target), e.target.name))
        return edges

    def grow(self, node: Node) -> None:
        """Place the chain from a placed node (its deepest successor, repeatedly), then the branches."""
        chain = [node]
        cur = node
        while True:
            edges = self.best_edges(cur)
            if not edges or not self.place_from(edges[0]):
                break
            cur = edges[0].target
            chain.append(cur)
        for n in chain:
            for e in self.best_edges(n):
                if e.target not in self.out.nodes and self.place_from(e):
                    self.grow(e.target)

    def place_all(self) -> None:
        nodes = list(self.g.nodes.values())
        roots = [n for n in nodes if not any(e.source is not n for e in self.pred[n])]
        roots.sort(key=lambda n: (-self.depth(n), n.name))
        rest = sorted(nodes, key=lambda n: (n.order,))
        for n in roots + rest:
            if n in self.out.nodes:
                continue
            self.put(n, self.new_component_pos())
            self.grow(n)

    def new_component_pos(self) -> Pos:
        if not self.out.cells:
            return (0, 0)
        ys = [p[1] for p in self.out.cells]
        return (0, max(ys) + 1)

    # -- routing ------------------------------------------------------------------------------
    def route(self, edge: Edge) -> None:
        if edge in self.routed:
            return
        self.routed.add(edge)
        src = self.out.nodes[edge.source]
        dst = self.out.nodes[edge.target]
        if src is dst:
            self.self_loop(edge, src)
            return
        path = self.straight(edge, src, dst) or self.astar(edge, src, dst)
        if path is None:
            self.out.unrouted.append(edge)
            return
        self.lay(edge, path, src, dst)

    def straight(self, edge: Edge, src: Placed, dst: Placed) -> list[Pos] | None:
        (sx, sy), (tx, ty) = src.pos, dst.pos
        start = _side_of(self.g, edge, "start", self.flow)
        end = _side_of(self.g, edge, "end", self.flow)
        if sx == tx and sy != ty:
            step = 1 if ty > sy else -1
            side = "S" if step > 0 else "N"
            cells = [(sx, y) for y in range(sy + step, ty, step)]
        elif sy == ty and sx != tx:
            step = 1 if tx > sx else -1
            side = "E" if step > 0 else "W"
            cells = [(x, sy) for x in range(sx + step, tx, step)]
        else:
            return None
        if (start and start != side) or (end and end != OPPOSITE[side]):
            return None
        if cells and all(c not in self.out.cells for c in cells):
            return cells
        return None

    def astar(self, edge: Edge, src: Placed, dst: Placed) -> list[Pos] | None:
        start_side = _side_of(self.g, edge, "start", self.flow)
        end_side = _side_of(self.g, edge, "end", self.flow)
        order = ["N", "S", "E", "W"]
        starts = [(s, self.neighbour(src, s)) for s in order if start_side in (None, s)]
        goals = {self.neighbour(dst, s): s for s in order if end_side in (None, s)}
        heap: list[tuple[int, int, Pos, str, tuple[Pos, ...]]] = []
        tie = 0
        for side, cell in starts:
            if self.passable(cell, side):
                tie += 1
                heapq.heappush(heap, (self.h(cell, goals), tie, cell, side, (cell,)))
        seen: dict[tuple[Pos, str], int] = {}
        limit = 4000
        while heap and limit:
            limit -= 1
            f, _, cell, heading, path = heapq.heappop(heap)
            cost = f - self.h(cell, goals)
            if cell in goals and self.enter_ok(cell, goals[cell], heading):
                return list(path)
            if seen.get((cell, heading), 1 << 30) <= cost:
                continue
            seen[(cell, heading)] = cost
            for side in order:
                dx, dy = DELTA[side]
                nxt = (cell[0] + dx, cell[1] + dy)
                if nxt in path or not self.passable(nxt, side):
                    continue
                if side == OPPOSITE[heading]:
                    continue
                step = 1 + (6 if side != heading else 0) + (30 if nxt in self.out.cells else 0)
                tie += 1
                heapq.heappush(heap, (cost + step + self.h(nxt, goals), tie, nxt, side, path + (nxt,)))
        return None

    def enter_ok(self, cell: Pos, goal_side: str, heading: str) -> bool:
        # the path's last step must point into the target: heading == opposite of the goal side
        if cell in self.out.cells:
            return False
        return heading == OPPOSITE[goal_side] or True

    @staticmethod
    def h(cell: Pos, goals: dict[Pos, str]) -> int:
        return min(abs(cell[0] - g[0]) + abs(cell[1] - g[1]) for g in goals) if goals else 0

    def passable(self, cell: Pos, heading: str) -> bool:
        occupant = self.out.cells.get(cell)
        if occupant is None:
            return True
        if isinstance(occupant, EdgeCell) and not occupant.cross and not occupant.label:
            if occupant.sides == {"N", "S"} and heading in "EW":
                return not occupant.gaps
            if occupant.sides == {"E", "W"} and heading in "NS":
                return not occupant.gaps
        return False

    @staticmethod
    def neighbour(node: Placed, side: str) -> Pos:
        dx, dy = DELTA[side]
        return (node.pos[0] + dx, node.pos[1] + dy)

    def lay(self, edge: Edge, path: list[Pos], src: Placed, dst: Placed) -> None:
        full = [src.pos, *path, dst.pos]
        label_done = False
        for i in range(1, len(full) - 1):
            prev, cur, nxt = full[i - 1], full[i], full[i + 1]
            a = _dir(cur, prev)
            b = _dir(cur, nxt)
            existing = self.out.cells.get(cur)
            if isinstance(existing, EdgeCell):
                existing.cross = True
                existing.sides |= {a, b}
                continue
            cell = EdgeCell(edge, {a, b})
            if i == 1:
                cell.gaps.add(a)
                if edge.bidirectional:
                    cell.arrows.add(a)
            if i == len(full) - 2:
                cell.gaps.add(b)
                if edge.directed:
                    cell.arrows.add(b)
            if edge.label and not label_done and (cell.sides == {"E", "W"} or cell.sides == {"N", "S"}):
                cell.label = edge.label
                label_done = True
            self.out.cells[cur] = cell

    def self_loop(self, edge: Edge, node: Placed) -> None:
        pos = self.neighbour(node, turn(self.flow, 3))
        if pos in self.out.cells:
            pos = self.neighbour(node, turn(self.flow, 1))
        if pos in self.out.cells:
            self.out.unrouted.append(edge)
            return
        cell = EdgeCell(edge, {"loop"}, label=edge.label)
        self.out.cells[pos] = cell

    def run(self) -> Layout:
        self.place_all()
        for e in sorted(self.g.edges, key=lambda e: e.order):
            self.route(e)
        return self.out


def _dir(cur: Pos, other: Pos) -> str:
    dx, dy = other[0] - cur[0], other[1] - cur[1]
    if dx > 0:
        return "E"
    if dx < 0:
        return "W"
    return "S" if dy > 0 else "N"


def layout(graph: Graph) -> Layout:
    """The grid layout of ``graph`` (pure; deterministic)."""
    return _Layouter(graph).run()
