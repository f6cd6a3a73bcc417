"""Place a :class:`Graph` on an integer cell grid and route its edges.

Nodes sit on grid cells two apart (the cell between holds the edge). Placement follows the
flow: the longest chain of successors runs in the flow direction, branches go to the
flow's right, back and left; disconnected parts go below. Edges take the straight cells
between aligned nodes, otherwise an A* path over free cells (a bend costs 6, crossing
another edge 30).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from slidekit.diagram.groups import Frame, GroupCell, splice_groups
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
_AROUND = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]  # the eight neighbours


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
    port: tuple[object, ...] | None = None  # edges sharing a start (or end) port share their cells
    loop: str = ""  # a self-loop: the side of its node it sits on
    label_room: bool = True  # the label adds to the cell's size (else it overhangs the next cells)
    vedge: Edge | None = None  # a crossing: the edges running north-south and east-west through it
    hedge: Edge | None = None
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


def _port(graph: Graph, edge: Edge, key: str, flow: str) -> tuple[str | None, str | None]:
    """(side, slot) of an edge's ``start``/``end`` attribute."""
    value = graph.edge_attr(edge, key)
    if not value:
        return None, None
    side_name, _, slot = value.partition(",")
    side_name = side_name.strip().lower()
    relative = {"front": flow, "forward": flow, "back": turn(flow, 2), "left": turn(flow, 3), "right": turn(flow, 1)}
    side = relative.get(side_name) or {"north": "N", "south": "S", "east": "E", "west": "W", "up": "N",
                                       "down": "S"}.get(side_name)
    return side, (slot.strip() or None) if side else None


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
        self.entered: dict[Node, str] = {}  # the direction of the edge a node was placed along
        self._depth = self._depths()
        self.rank = self._ranks()
        self.clusters: dict[Node, dict[Node, Pos]] = {}
        self.clusters = self._clusters()

    def _depths(self) -> dict[Node, int]:
        """Longest path (in edges) from each node, back edges of a depth-first search ignored."""
        depth: dict[Node, int] = {}
        state: dict[Node, int] = {}
        for root in sorted(self.g.nodes.values(), key=lambda n: n.name):
            if root in state:
                continue
            stack: list[tuple[Node, int]] = [(root, 0)]
            state[root] = 1
            while stack:
                node, i = stack.pop()
                edges = self.succ[node]
                if i < len(edges):
                    stack.append((node, i + 1))
                    t = edges[i].target
                    if t not in state:
                        state[t] = 1
                        stack.append((t, 0))
                    continue
                state[node] = 2
                depth[node] = max((1 + depth[e.target] for e in edges
                                   if state.get(e.target) == 2 and e.target in depth and e.target is not node),
                                  default=0)
        return depth

    def user_rank(self, node: Node) -> int | None:
        try:
            return int(self.g.node_attr(node, "rank")) + 1
        except ValueError:
            return None

    def _ranks(self) -> dict[Node, int]:
        """A node's rank: its ``rank`` (plus one), else one more than its predecessors' (a
        root: 1); edges closing a cycle are ignored."""
        rank: dict[Node, int] = {}
        for root in self.g.nodes.values():
            stack: list[tuple[Node, int]] = [(root, 0)]
            busy = {root}
            while stack:
                node, i = stack.pop()
                if node in rank:
                    busy.discard(node)
                    continue
                preds = [e.source for e in self.pred[node] if e.source is not node and e.source not in busy]
                if i < len(preds):
                    stack.append((node, i + 1))
                    if preds[i] not in rank:
                        busy.add(preds[i])
                        stack.append((preds[i], 0))
                    continue
                user = self.user_rank(node)
                rank[node] = user if user is not None else 1 + max((rank.get(p, 0) for p in preds), default=0)
                busy.discard(node)
        return rank

    def rank_spot(self, node: Node) -> Pos:
        """Where a ranked node goes that may not follow its predecessor: the first free row of
        the first column."""
        y = 0
        while not self.fits(node, (0, y)) and y < 1024:
            y += 2
        return (0, y)

    def depth(self, node: Node) -> int:
        return self._depth.get(node, 0)

    # -- placement ---------------------------------------------------------------------------
    def free(self, pos: Pos) -> bool:
        return pos not in self.out.cells

    def _clusters(self) -> dict[Node, dict[Node, Pos]]:
        """For nodes placed relative to others (``origin`` + ``offset``): each member's
        cluster, as positions relative to that member."""
        parent: dict[Node, tuple[Node, Pos]] = {}
        for node in self.g.nodes.values():
            origin = self.g.node_attr(node, "origin")
            base = self.g.nodes.get(re.sub(r"\s+", " ", origin.strip())) if origin else None
            if base is None or base is node:
                continue
            try:
                dx, dy = (int(float(v)) for v in self.g.node_attr(node, "offset", "0,0").split(",")[:2])
            except ValueError:
                dx, dy = 0, 0
            parent[node] = (base, (dx, dy))
        if not parent:
            return {}
        self.clusters = {n: {} for n in {*parent, *(base for base, _ in parent.values())}}  # members, for planned_size
        children: dict[Node, list[tuple[Node, Pos]]] = {}
        for child, (base, off) in parent.items():
            children.setdefault(base, []).append((child, off))
        out: dict[Node, dict[Node, Pos]] = {}
        for node in {*parent, *children}:
            if node in out:
                continue
            root = node
            seen = {root}
            while root in parent and parent[root][0] not in seen:
                root = parent[root][0]
                seen.add(root)
            rel: dict[Node, Pos] = {root: (0, 0)}
            todo = [root]
            while todo:
                cur = todo.pop()
                pw, ph = self.planned_size(cur)  # offsets count from the origin's far side
                for child, (dx, dy) in children.get(cur, []):
                    if child not in rel:
                        rel[child] = (rel[cur][0] + dx + (pw - 1 if dx > 0 else 0),
                                      rel[cur][1] + dy + (ph - 1 if dy > 0 else 0))
                        todo.append(child)
            for member, (mx, my) in rel.items():
                out[member] = {m: (x - mx, y - my) for m, (x, y) in rel.items()}
        return out

    def members(self, node: Node, pos: Pos) -> list[tuple[Node, Pos]]:
        rel = self.clusters.get(node)
        if not rel:
            return [(node, pos)]
        return [(m, (pos[0] + dx, pos[1] + dy)) for m, (dx, dy) in rel.items() if m not in self.out.nodes]

    def footprint(self, node: Node, pos: Pos) -> list[Pos]:
        """Every cell ``node`` and its cluster would cover at ``pos`` (given sizes included)."""
        cells = []
        for member, (x, y) in self.members(node, pos):
            w, h = self.given_size(member)
            cells += [(x + i, y + j) for i in range(w) for j in range(h)]
        return cells

    def fits(self, node: Node, pos: Pos) -> bool:
        return all(self.free(p) for p in self.footprint(node, pos))

    def apart(self, node: Node, pos: Pos) -> bool:
        """No other node touches ``node`` (and its cluster) at ``pos``, not even at a corner: nodes
        placed next to another keep a free cell between them (a cluster may touch its neighbour)."""
        if node in self.clusters:
            return True
        cells = set(self.footprint(node, pos))
        for x, y in cells:
            for dx, dy in _AROUND:
                q = (x + dx, y + dy)
                if q not in cells and isinstance(self.out.cells.get(q), Placed):
                    return False
        return True

    def given_size(self, node: Node) -> tuple[int, int]:
        """``size: W,H`` or ``columns``/``rows`` (in cells)."""
        try:
            size = self.g.node_attr(node, "size")
            w, h = (int(v) for v in size.split(",")[:2]) if size else (1, 1)
            w = int(self.g.node_attr(node, "columns") or w)
            h = int(self.g.node_attr(node, "rows") or h)
        except ValueError:
            return 1, 1
        return max(1, min(w, 64)), max(1, min(h, 64))

    def planned_size(self, node: Node) -> tuple[int, int]:
        """A node's size: ``size``/``rows``/``columns``, grown when it has more than four edges so
        each edge can have a side cell of its own."""
        ports: set[object] = set()  # edges sharing a port (``start: east,0``) need one cell
        for e in self.succ[node] + self.pred[node]:
            key = "start" if e.source is node else "end"
            side, slot = _port(self.g, e, key, self.flow)
            ports.add((key, side, slot) if slot is not None else id(e))
        degree = len(ports)
        if degree >= 4 and not self.succ[node] and node not in self.clusters:  # a sink grows sooner
            degree += 2
        w, h = self.given_size(node)
        while w + h + 2 < degree:  # two cells at a time: 1x1 takes 4 edges, 1x3 6, 3x3 8, 3x5 10
            if (h <= w) == (self.flow in "EW"):
                h += 2
            else:
                w += 2
        return w, h

    def pre_grow(self, placed: Placed) -> None:
        """Grow a placed node to its planned size (if the cells are free)."""
        w, h = self.planned_size(placed.node)
        x, y = placed.pos
        extra = [(x + i, y + j) for i in range(w) for j in range(h) if (x + i, y + j) not in placed.covers()]
        if extra and all(self.free(c) for c in extra):
            placed.size = (w, h)
            for c in extra:
                self.out.cells[c] = placed

    def put(self, node: Node, pos: Pos) -> Placed:
        if node in self.out.nodes:
            return self.out.nodes[node]
        first = None
        placed_now = []
        for member, mpos in self.members(node, pos):
            placed = Placed(member, mpos, self.given_size(member))
            self.out.nodes[member] = placed
            for c in placed.covers():
                self.out.cells.setdefault(c, placed)
            placed_now.append(placed)
            if member is node:
                first = placed
        for placed in placed_now:
            self.pre_grow(placed)
        assert first is not None
        return first

    def node_flow(self, node: Node) -> str:
        value = self.g.node_attr(node, "flow").strip().lower()
        if value in ("left", "right", "back"):  # a node's relative flow turns twice as far (left: back)
            return turn(self.flow, {"left": 6, "right": 2, "back": 4}[value])
        return flow_of(value, self.flow) if value else self.flow

    def edge_flow(self, edge: Edge) -> str:
        """An edge's ``flow``, relative to the direction its source was entered by; else the node's."""
        flow_attr = self.g.edge_attr(edge, "flow")
        if not flow_attr:
            return self.node_flow(edge.source)
        return flow_of(flow_attr, self.entered.get(edge.source, self.node_flow(edge.source)))

    def place_from(self, edge: Edge) -> bool:
        """Place ``edge.target`` next to its placed source."""
        anchor = self.out.nodes[edge.source]
        flow = self.edge_flow(edge)
        side, slot = _port(self.g, edge, "start", flow)
        if side is not None and (slot is not None or side == flow):  # other start sides do not move the target
            return self.place_at_port(edge, anchor, side, slot is not None)
        if self.user_rank(edge.target) is not None and self.rank[edge.source] >= self.rank[edge.target]:
            self.put(edge.target, self.rank_spot(edge.target))  # a rank not above its source's
            return True  # its edge is routed once the chain is laid
        for _ in range(2):
            for d, mid, pos in self.around(anchor, flow, self.gap(edge)):
                if self.fits(edge.target, pos) and self.free(mid) and self.apart(edge.target, pos):
                    self.put(edge.target, pos)
                    if self.g.edge_attr(edge, "flow"):  # an explicit flow carries on from here
                        self.entered[edge.target] = d
                    self.route(edge)
                    return True
            if not self.grow_by_one(anchor):  # no room around it: grow it and look again
                return False
        return False

    @staticmethod
    def around(anchor: Placed, flow: str, gap: int = 1) -> list[tuple[str, Pos, Pos]]:
        """(side, edge cell, node cell) spots around a node: the flow's front, right, back, left;
        ``gap`` edge cells between."""
        out = []
        for d in (flow, turn(flow, 1), turn(flow, 2), turn(flow, 3)):
            dx, dy = DELTA[d]
            for mid in anchor.side_cells(d):
                out.append((d, mid, (mid[0] + dx * gap, mid[1] + dy * gap)))
        return out

    def gap(self, edge: Edge) -> int:
        """Edge cells between two nodes: ``minlen`` (in Graph::Easy's units) or one."""
        try:
            minlen = int(self.g.edge_attr(edge, "minlen") or 1)
        except ValueError:
            minlen = 1
        return max(1, min((minlen + 1) // 2, 32))

    def place_at_port(self, edge: Edge, anchor: Placed, side: str, shared: bool) -> bool:
        """A fixed start side: targets stack along that side (the source grows to reach them);
        a shared port (``side,N``) leaves one more cell for the joint."""
        dist = 3 if shared else 2
        dx, dy = DELTA[side]
        px, py = (0, 1) if side in "EW" else (1, 0)
        base = anchor.side_cells(side)[0]
        for k in range(64):
            pos = (base[0] + dx * (dist - 1) + px * k, base[1] + dy * (dist - 1) + py * k)
            if not self.fits(edge.target, pos):
                continue
            if not shared and not self.grow_to(anchor, k + 1, side):
                continue
            self.put(edge.target, pos)
            self.entered[edge.target] = side
            self.route(edge)
            return True
        return False

    def grow_to(self, anchor: Placed, cells: int, side: str) -> bool:
        """Make ``anchor`` at least ``cells`` long along ``side`` (if the cells are free)."""
        w, h = anchor.size
        along = h if side in "EW" else w
        if along >= cells:
            return True
        x, y = anchor.pos
        extra = [(x + i, y + j) for i in range(w if side in "EW" else cells) for j in range(cells if side in "EW" else h)]
        extra = [c for c in extra if c not in anchor.covers()]
        if not all(self.free(c) for c in extra):
            return False
        anchor.size = (w, cells) if side in "EW" else (cells, h)
        for c in extra:
            self.out.cells[c] = anchor
        return True

    def place_pred(self, edge: Edge) -> bool:
        """Place ``edge.source`` next to its placed target."""
        anchor = self.out.nodes[edge.target]
        flow = self.node_flow(edge.target)
        for _d, mid, pos in self.around(anchor, flow, self.gap(edge)):
            if self.fits(edge.source, pos) and self.free(mid) and mid not in dict(self.members(edge.source, pos)).values() \
                    and self.apart(edge.source, pos):
                self.put(edge.source, pos)
                self.route(edge)
                return True
        return False

    def chain_from(self, root: Node, taken: set[Node] | frozenset[Node] = frozenset()) -> list[Node]:
        """The longest run of successors from ``root`` (explicit flows first, then depth, then name)."""
        chain = [root]
        seen = {root}
        cur = root
        while True:
            edges = [e for e in self.succ[cur]
                     if e.target not in seen and e.target not in self.out.nodes and e.target not in taken]
            if not edges:
                return chain
            edges.sort(key=lambda e: (not self.g.edge_attr(e, "flow"), -self.depth(e.target), e.target.name))
            cur = edges[0].target
            seen.add(cur)
            chain.append(cur)

    def route_placed(self, node: Node) -> None:
        for e in sorted(self.succ[node] + self.pred[node], key=lambda e: e.order):
            if e.source in self.out.nodes and e.target in self.out.nodes:
                self.route(e)

    def route_all_placed(self) -> None:
        rank = {n: i for i, n in enumerate(self.out.nodes)}  # the edges of nodes placed earlier first
        for e in sorted(self.g.edges, key=lambda e: (e.source is e.target, rank.get(e.source, 1 << 30), e.order)):
            if e.source in self.out.nodes and e.target in self.out.nodes:
                self.route(e)

    def lay_chain(self, chain: list[Node]) -> None:
        """Place a chain whose head is placed: each next node along the flow."""
        for a, b in zip(chain, chain[1:]):
            if b in self.out.nodes:  # placed with a cluster: its edge is routed before going on
                if a in self.out.nodes:
                    self.route(next(e for e in self.succ[a] if e.target is b))
                continue
            edge = next(e for e in self.succ[a] if e.target is b)
            if a not in self.out.nodes or not self.place_from(edge):
                break
        for a, b in zip(chain, chain[1:]):  # the chain's own edges (every one between its links) first
            for e in sorted(self.succ[a], key=lambda e: e.order):
                if e.target is b and a in self.out.nodes and b in self.out.nodes:
                    self.route(e)
        self.route_all_placed()

    def place_head(self, node: Node) -> bool:
        """Place a chain's head next to a placed neighbour (its first placed predecessor, else successor)."""
        preds = sorted((e for e in self.pred[node] if e.source in self.out.nodes and e.source is not node),
                       key=lambda e: e.order)
        if preds:
            return self.place_from(preds[0])
        succs = sorted((e for e in self.succ[node] if e.target in self.out.nodes and e.target is not node),
                       key=lambda e: e.order)
        return bool(succs) and self.place_pred(succs[0])

    def place_all(self) -> None:
        nodes = list(self.g.nodes.values())
        while len(self.out.nodes) < len(nodes):
            unplaced = [n for n in nodes if n not in self.out.nodes]
            roots = [n for n in unplaced if not any(e.source is not n for e in self.pred[n])]
            # no root (a cycle): start with the node defined first
            # the first root by name; a later part starts at its longest chain
            first = min(roots, key=lambda n: (-self.depth(n) if self.out.nodes else 0, n.name)) if roots else min(unplaced, key=lambda n: n.order)
            roots = roots or [first]
            taken: set[Node] = set()
            chains: list[list[Node]] = []
            for root in [first] + sorted((r for r in roots if r is not first), key=lambda n: n.name):
                if root in taken:
                    continue
                chain = self.chain_from(root, taken)
                taken |= set(chain)
                chains.append(chain)
            self.put(first, self.new_component_pos(first))
            self.lay_chain(chains[0])
            # the other chains: longer first, then by name (last first), once their head can join
            rest = sorted(chains[1:], key=lambda c: c[0].name, reverse=True)
            rest.sort(key=lambda c: -len(c))
            progress = True
            while progress:
                progress = False
                for chain in rest:
                    head = chain[0]
                    if head in self.out.nodes:
                        continue
                    if self.place_head(head):
                        self.route_placed(head)
                        self.lay_chain(chain)
                        progress = True
                        break
                if not progress:  # a chain whose head has no placed neighbour starts a new row
                    part = self.part_of(first)
                    stuck = next((c for c in rest if c[0] not in self.out.nodes and c[0] in part), None)
                    if stuck is not None:
                        self.put(stuck[0], self.new_component_pos(stuck[0]))
                        self.route_placed(stuck[0])
                        self.lay_chain(stuck)
                        progress = True
                if not progress:
                    progress = self.place_near()

    def part_of(self, node: Node) -> set[Node]:
        """The nodes connected to ``node`` (edges in either direction)."""
        seen = {node}
        todo = [node]
        while todo:
            cur = todo.pop()
            for e in self.succ[cur] + self.pred[cur]:
                for n in (e.source, e.target):
                    if n not in seen:
                        seen.add(n)
                        todo.append(n)
        return seen

    def place_near(self) -> bool:
        """One node linked to placed ones: a successor first (deepest, then by name), else a
        predecessor (last name first). False when there is none."""
        unplaced = sorted((n for n in self.g.nodes.values() if n not in self.out.nodes), key=lambda n: n.name)
        # successors of placed nodes: the deepest first (its chain is longest), then by name
        for n in sorted(unplaced, key=lambda n: (-self.depth(n), n.name)):
            preds = sorted((e for e in self.pred[n] if e.source in self.out.nodes), key=lambda e: e.order)
            if any(self.place_from(e) for e in preds[:1]):
                self.route_placed(n)
                return True
        for n in reversed(unplaced):
            succs = sorted((e for e in self.succ[n] if e.target in self.out.nodes), key=lambda e: e.order)
            if any(self.place_pred(e) for e in succs[:1]):
                self.route_placed(n)
                return True
        return False

    def new_component_pos(self, node: Node) -> Pos:
        rel = self.clusters.get(node, {node: (0, 0)})
        min_x = min(x for x, _ in rel.values())
        min_y = min(y for _, y in rel.values())
        if not self.out.cells:
            return (-min_x, -min_y)
        # a later part starts with its first node in column 0 (its cluster may reach further left),
        # two rows down (an empty row takes no room) so edges can leave it upwards
        y = max(p[1] for p in self.out.cells) + 2 - min_y
        for _ in range(256):
            if self.fits(node, (0, y)):
                break
            y += 1
        return (0, y)

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
        flow = self.edge_flow(edge)
        start, slot = _port(self.g, edge, "start", flow)
        port: tuple[object, ...] | None = (edge.source, start, slot) if start is not None and slot is not None else None
        path = None
        if port is not None:
            path = self.port_path(src, dst, start or "E", port)
        end, end_slot = _port(self.g, edge, "end", flow)
        join = (edge.target, end, end_slot, "end") if end is not None and end_slot is not None else None
        joinable = {c for c, o in self.out.cells.items() if isinstance(o, EdgeCell) and join is not None
                    and o.port == join and not o.cross and len(o.sides) == 2 and not o.label}
        path = (path or self.straight(edge, src, dst) or self.simple_bend(edge, src, dst)
                or self.astar(edge, src, dst, joinable=joinable)
                or self.astar(edge, src, dst, ports=False))
        for node in (dst, src, dst, src):  # no way in or out: grow a node by a cell, try again
            if path is not None:
                break
            if self.grow_by_one(node):
                path = self.astar(edge, src, dst, ports=False)
        if path is None:
            path = self.astar(edge, src, dst, ports=False, anywhere=True)
            if path is not None:
                port = ("shared", edge.source.name)
                for c in path:
                    occupant = self.out.cells.get(c)
                    if isinstance(occupant, EdgeCell):
                        occupant.port = port
        if path is None:
            self.out.unrouted.append(edge)
            return
        if port is None and join is not None:
            port = join
        self.lay(edge, path, src, dst, port, joined=path[-1] in joinable)

    def port_path(self, src: Placed, dst: Placed, side: str, port: tuple[object, ...]) -> list[Pos] | None:
        """Out of the shared port cell, along the joint line, then straight into the target."""
        p = src.side_cells(side)[0]
        back = OPPOSITE[side]
        entries = list(dst.side_cells(back))
        path = [p]
        entry = entries[0]
        cur = p
        if side in "EW":
            step = 1 if entry[1] > cur[1] else -1
            while cur[1] != entry[1]:
                cur = (cur[0], cur[1] + step)
                path.append(cur)
            sx = 1 if entry[0] > cur[0] else -1
            while cur[0] != entry[0]:
                cur = (cur[0] + sx, cur[1])
                path.append(cur)
        else:
            step = 1 if entry[0] > cur[0] else -1
            while cur[0] != entry[0]:
                cur = (cur[0] + step, cur[1])
                path.append(cur)
            sy = 1 if entry[1] > cur[1] else -1
            while cur[1] != entry[1]:
                cur = (cur[0], cur[1] + sy)
                path.append(cur)
        for c in path:
            occupant = self.out.cells.get(c)
            if occupant is not None and not (isinstance(occupant, EdgeCell) and occupant.port == port):
                return None
        return path

    def simple_bend(self, edge: Edge, src: Placed, dst: Placed) -> list[Pos] | None:
        """Between two one-cell nodes in different rows and columns, with no ports: one bend
        over free cells, the horizontal leg first if it can."""
        if src.size != (1, 1) or dst.size != (1, 1) or self.g.edge_attr(edge, "start") \
                or self.g.edge_attr(edge, "end"):
            return None
        (sx, sy), (tx, ty) = src.pos, dst.pos
        if sx == tx or sy == ty:
            return None
        dx, dy = (1 if tx > sx else -1), (1 if ty > sy else -1)
        across = [(x, sy) for x in range(sx + dx, tx + dx, dx)] + [(tx, y) for y in range(sy + dy, ty, dy)]
        down = [(sx, y) for y in range(sy + dy, ty + dy, dy)] + [(x, ty) for x in range(sx + dx, tx, dx)]
        for path in (across, down):
            if all(self.free(c) for c in path):
                return path
        return None

    def straight(self, edge: Edge, src: Placed, dst: Placed) -> list[Pos] | None:
        flow = self.edge_flow(edge)
        start, _ = _port(self.g, edge, "start", flow)
        end, _ = _port(self.g, edge, "end", flow)
        for side in ("E", "W", "S", "N"):
            if (start and start != side) or (end and end != OPPOSITE[side]):
                continue
            dx, dy = DELTA[side]
            targets = set(dst.covers())
            for c in src.side_cells(side):
                cells: list[Pos] = []
                cur = c
                while cur not in targets and self.passable(cur, side) and len(cells) < 64:
                    cells.append(cur)
                    cur = (cur[0] + dx, cur[1] + dy)
                if cur in targets and cells:
                    return cells
        return None

    def grow_by_one(self, node: Placed) -> bool:
        w, h = node.size
        x, y = node.pos
        for size in ((w, h + 1), (w + 1, h)) if self.flow in "EW" else ((w + 1, h), (w, h + 1)):
            extra = [(x + i, y + j) for i in range(size[0]) for j in range(size[1]) if i >= w or j >= h]
            if all(self.free(c) for c in extra):
                node.size = size
                for c in extra:
                    self.out.cells[c] = node
                return True
        return False

    def astar(self, edge: Edge, src: Placed, dst: Placed, *, ports: bool = True, anywhere: bool = False,
              joinable: set[Pos] | frozenset[Pos] = frozenset()) -> list[Pos] | None:
        if anywhere:  # the last resort: join the cells of an edge with the same source or target
            joinable = {c for c, o in self.out.cells.items() if isinstance(o, EdgeCell)
                        and (o.edge.source is edge.source or o.edge.target is edge.target)}
        flow = self.edge_flow(edge)
        start_side, _ = _port(self.g, edge, "start", flow) if ports else (None, None)
        end_side, _ = _port(self.g, edge, "end", flow) if ports else (None, None)
        order = ["N", "E", "S", "W"]
        starts = [(s, c) for s in order if start_side in (None, s) for c in src.side_cells(s)]
        goals = {c: s for s in order if end_side in (None, s) for c in dst.side_cells(s)}
        goals.update(dict.fromkeys(joinable, "J"))
        heap: list[tuple[int, int, int, Pos, str, tuple[Pos, ...]]] = []
        tie = 0
        for side, cell in starts:
            if self.passable(cell, side, joinable):
                tie += 1
                cross = 30 if cell in self.out.cells else 0  # leaving across another edge costs too
                heapq.heappush(heap, (1 + cross + self.h(cell, goals), order.index(side), tie, cell, side, (cell,)))
        seen: dict[tuple[Pos, str], int] = {}
        xs = [p[0] for p in self.out.cells] + [p[0] for p in goals]
        ys = [p[1] for p in self.out.cells] + [p[1] for p in goals]
        x_lo, x_hi, y_lo, y_hi = min(xs) - 2, max(xs) + 2, min(ys) - 2, max(ys) + 2
        limit = 20000
        while heap and limit:
            limit -= 1
            f, rank, _, cell, heading, path = heapq.heappop(heap)
            cost = f - self.h(cell, goals)
            if cell in goals and (cell not in self.out.cells or (cell in joinable and not anywhere)):
                return list(path)
            if seen.get((cell, heading), 1 << 30) <= cost:
                continue
            seen[(cell, heading)] = cost
            for side in order:
                dx, dy = DELTA[side]
                nxt = (cell[0] + dx, cell[1] + dy)
                if side == OPPOSITE[heading] or not (x_lo <= nxt[0] <= x_hi and y_lo <= nxt[1] <= y_hi):
                    continue
                if nxt in path or not self.passable(nxt, side, joinable):
                    continue
                step = 1 + (6 if side != heading else 0) + (30 if nxt in self.out.cells else 0)
                end_side = goals.get(nxt)
                if end_side in _CLOCKWISE and side != OPPOSITE[end_side]:
                    step += 6  # the turn into the target node is a bend too
                step += 50 if anywhere and nxt in joinable else 0
                tie += 1
                heapq.heappush(heap, (cost + step + self.h(nxt, goals), rank, tie, nxt, side, path + (nxt,)))
        return None

    @staticmethod
    def h(cell: Pos, goals: dict[Pos, str]) -> int:
        return min(abs(cell[0] - g[0]) + abs(cell[1] - g[1]) for g in goals) if goals else 0

    def passable(self, cell: Pos, heading: str, joinable: set[Pos] | frozenset[Pos] = frozenset()) -> bool:
        occupant = self.out.cells.get(cell)
        if occupant is None or cell in joinable:
            return True
        if isinstance(occupant, EdgeCell) and not occupant.cross and not occupant.label and not occupant.gaps:
            if occupant.sides == {"N", "S"} and heading in "EW":
                return True
            if occupant.sides == {"E", "W"} and heading in "NS":
                return True
        return False

    def lay(self, edge: Edge, path: list[Pos], src: Placed, dst: Placed,
            port: tuple[object, ...] | None = None, joined: bool = False) -> None:
        first = _toward(path[0], src)
        last = _toward(path[-1], dst)
        label_done = False
        path_end = path[-1]
        # a label widens its cell only on a straight path; a bent path's label overhangs
        straight = first == OPPOSITE[last] and (len({p[0] for p in path}) == 1 or len({p[1] for p in path}) == 1)
        label_at = self.label_cell(edge, path, first, last)
        if joined:  # the path ends on a cell of an edge sharing its end port: a joint
            join_cell = self.out.cells[path[-1]]
            assert isinstance(join_cell, EdgeCell)
            join_cell.sides.add(_dir(path[-1], path[-2]) if len(path) > 1 else first)
            if len(path) == 1 and edge.bidirectional:  # the joint touches the source: an arrow into it
                join_cell.arrows.add(first)
            path = path[:-1]
        for i, cur in enumerate(path):
            a = first if i == 0 else _dir(cur, path[i - 1])
            b = (last if not joined else _dir(cur, path_end)) if i == len(path) - 1 else _dir(cur, path[i + 1])
            existing = self.out.cells.get(cur)
            if isinstance(existing, EdgeCell):
                if port is None or existing.port != port:
                    existing.cross = True
                    down = {a, b} == {"N", "S"}
                    existing.vedge, existing.hedge = (edge, existing.edge) if down else (existing.edge, edge)
                existing.sides |= {a, b}
                if i == len(path) - 1 and not joined:
                    existing.gaps.add(b)
                    if edge.directed:
                        existing.arrows.add(b)
                continue
            cell = EdgeCell(edge, {a, b}, port=port)
            if i == 0:
                cell.gaps.add(a)
                if edge.bidirectional:
                    cell.arrows.add(a)
            if i == len(path) - 1 and not joined:
                cell.gaps.add(b)
                if edge.directed:
                    cell.arrows.add(b)
            if edge.label and not label_done and cell.sides in ({"E", "W"}, {"N", "S"}) \
                    and (straight or cur == label_at):
                cell.label = edge.label
                # a bent path's label widens a vertical cell or one at a node, else it overhangs
                cell.label_room = straight or cell.sides == {"N", "S"} or bool(cell.gaps)
                label_done = True
            self.out.cells[cur] = cell

    def label_cell(self, edge: Edge, path: list[Pos], first: str, last: str) -> Pos | None:
        """The cell of a bent path that carries the edge's label: with a start or end port, the
        straight cell nearest the target; a single bend puts it on the horizontal leg; else
        the leftmost (topmost) straight cell."""
        cells = [c for c in path if c not in self.out.cells and _is_straight(path, c, first, last)]
        if not cells:
            return None
        if self.g.edge_attr(edge, "start") or self.g.edge_attr(edge, "end"):
            return cells[-1]
        bends = [c for c in path if not _is_straight(path, c, first, last)]
        if len(bends) == 1:
            flat = [c for c in cells if (first if c == path[0] else _dir(c, path[path.index(c) - 1])) in "EW"]
            if flat:
                return flat[0]
        return min(cells)

    def self_loop(self, edge: Edge, node: Placed) -> None:
        """A self-loop takes the cell on the flow's left, right, front or back of its node."""
        for side in (turn(self.flow, 3), turn(self.flow, 1), self.flow, turn(self.flow, 2)):
            pos = node.side_cells(side)[0]
            if pos not in self.out.cells:
                self.out.cells[pos] = EdgeCell(edge, {"loop"}, label=edge.label, loop=side)
                return
        self.out.unrouted.append(edge)

    def run(self) -> Layout:
        self.place_all()
        for e in sorted(self.g.edges, key=lambda e: e.order):
            self.route(e)
        self.mark_shared_borders()
        splice_groups(self.g, self.out)
        return self.out

    def mark_shared_borders(self) -> None:
        """Nodes of one cluster (``origin``/``offset``) in touching cells share the border between
        them, like the fields of an autosplit node."""
        for node, placed in self.out.nodes.items():
            cluster = self.clusters.get(node)
            if not cluster:
                continue
            x, y = placed.pos
            for (dx, dy), attr in (((-1, 0), "share_left"), ((0, -1), "share_top")):
                other = self.out.cells.get((x + dx, y + dy))
                if isinstance(other, Placed) and other is not placed and other.node in cluster:
                    setattr(placed, attr, True)


def _is_straight(path: list[Pos], cell: Pos, first: str, last: str) -> bool:
    i = path.index(cell)
    a = first if i == 0 else _dir(cell, path[i - 1])
    b = last if i == len(path) - 1 else _dir(cell, path[i + 1])
    return a == OPPOSITE[b]


def _toward(cell: Pos, node: Placed) -> str:
    """The side of ``cell`` that faces ``node`` (a neighbour of one of its cells)."""
    for c in node.covers():
        if abs(c[0] - cell[0]) + abs(c[1] - cell[1]) == 1:
            return _dir(cell, c)
    return "W"


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
