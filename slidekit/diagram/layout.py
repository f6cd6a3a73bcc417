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

from slidekit.diagram.grid import DELTA, OPPOSITE, EdgeCell, Layout, Placed, Pos
from slidekit.diagram.groups import splice_groups
from slidekit.diagram.model import Edge, Graph, Node

_FLOWS = {
    "east": "E", "right": "E", "forward": "E", "0": "N", "90": "E", "180": "S", "270": "W", "360": "N",
    "south": "S", "down": "S", "west": "W", "left": "W", "back": "W", "north": "N", "up": "N",
}
_CLOCKWISE = ["N", "E", "S", "W"]
_AROUND = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]  # the eight neighbours
# The A* steps one layout may take in all. Like the real tool, which gives up on a graph it cannot
# lay out in time ("Layouter could only place N nodes/M edges"), the edges left then stay
# unrouted: a big graph in an untrusted deck costs seconds, not minutes.
WORK_LIMIT = 100_000


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


def _absolute_port(graph: Graph, edge: Edge, key: str) -> bool:
    """The edge's ``start``/``end`` names a compass side (not one relative to the flow)."""
    side = graph.edge_attr(edge, key).partition(",")[0].strip().lower()
    return side in ("north", "south", "east", "west", "up", "down")


def _split_order(members: list[tuple[Node, Pos]]) -> list[tuple[Node, Pos]]:
    """An autosplit node's fields in the order they are placed (and so their edges routed):
    the first, the last, then the others."""
    bases = {m.attrs.get("basename") for m, _ in members}
    if len(members) > 2 and len(bases) == 1 and None not in bases:
        return [members[0], members[-1], *members[1:-1]]
    return members


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
        self.work = 0  # A* steps taken so far; past WORK_LIMIT every further search fails (see astar)
        self.deferred: set[Edge] = set()  # routed only once everything is placed
        self.entered: dict[Node, str] = {}  # the direction of the edge a node was placed along
        self._depth = self._depths()
        self.rank = self._ranks()
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
                pw, ph = self.grown_size(cur)  # offsets count from the origin's far side (grown for its edges)
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
        """No other node touches ``node`` (and its cluster) at ``pos``, not even at a corner, and no
        edge runs right beside it: nodes placed next to another keep a free cell between them (a
        cluster may touch its neighbour)."""
        if node in self.clusters:
            return True
        cells = set(self.footprint(node, pos))
        for x, y in cells:
            for dx, dy in _AROUND:
                q = (x + dx, y + dy)
                other = self.out.cells.get(q)
                if q not in cells and (isinstance(other, Placed) or (other is not None and not (dx and dy))):
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
        pw, ph = self.port_size(node)
        return max(1, pw, min(w, 64)), max(1, ph, min(h, 64))

    def port_size(self, node: Node) -> tuple[int, int]:
        """Several edges fixed to one side (``start: south`` ...) make that side 2k-1 cells long."""
        count: dict[str, int] = {}
        for e in self.succ.get(node, []) + self.pred.get(node, []):
            if e.source is e.target:
                continue
            side, slot = _port(self.g, e, "start" if e.source is node else "end", self.node_flow(e.source))
            if side is not None and slot is None:
                count[side] = count.get(side, 0) + 1
        w = max((2 * k - 1 for s, k in count.items() if s in "NS"), default=1)
        h = max((2 * k - 1 for s, k in count.items() if s in "EW"), default=1)
        return min(w, 64), min(h, 64)

    def pre_grow(self, placed: Placed) -> None:
        """A node with more than four edges grows so each edge can have a side cell of its own;
        ``size``/``rows``/``columns`` set its size."""
        w, h = self.grown_size(placed.node)
        x, y = placed.pos
        extra = [(x + i, y + j) for i in range(w) for j in range(h) if (x + i, y + j) not in placed.covers()]
        if extra and all(self.free(c) for c in extra):
            placed.size = (w, h)
            for c in extra:
                self.out.cells[c] = placed

    def grown_size(self, node: Node) -> tuple[int, int]:
        """The size a node grows to for its edges (see :meth:`pre_grow`)."""
        w, h = self.degree_size(node)
        # edges leaving by the same compass side (``start: south``) each get a cell of that side
        sides = [_port(self.g, e, "start", self.flow) for e in self.succ[node]
                 if _absolute_port(self.g, e, "start")]
        for side in "NESW":
            count = sum(1 for s, slot in sides if s == side and slot is None)
            if count > 1:
                w, h = (w, max(h, count)) if side in "EW" else (max(w, count), h)
        return w, h

    def degree_size(self, node: Node) -> tuple[int, int]:
        """The size for a node's number of edges: two more cells each time (1x1, 1x3, 3x3, ...)
        until there are w + h + 2 edges at most (a node edges only come into does not count
        its front side's (w + 1) / 2 or (h + 1) / 2)."""
        ports: set[object] = set()  # edges sharing a port (``start: east,0``) need one cell
        for e in self.succ[node] + self.pred[node]:
            key = "start" if e.source is node else "end"
            side, slot = _port(self.g, e, key, self.flow)
            ports.add((key, side, slot) if slot is not None else id(e))
        degree = len(ports)
        w, h = self.given_size(node)
        sink = not self.succ[node] and not self.g.node_attr(node, "origin")  # placed relative: not so

        def front(w: int, h: int) -> int:
            return ((h if self.flow in "EW" else w) + 1) // 2 if sink else 0

        while w + h + 2 - front(w, h) < degree:
            if (h <= w) == (self.flow in "EW"):
                h += 2
            else:
                w += 2
        return w, h

    def put(self, node: Node, pos: Pos) -> Placed:
        if node in self.out.nodes:
            return self.out.nodes[node]
        first = None
        placed_now = []
        for member, mpos in _split_order(self.members(node, pos)):
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
        """Place ``edge.target`` next to its placed source (a chain's next node goes along the
        flow even when the edge leaves by an absolute port: ``start: south``)."""
        anchor = self.out.nodes[edge.source]
        flow = self.edge_flow(edge)
        side, slot = _port(self.g, edge, "start", flow)
        if side is not None and slot is not None:  # a shared port: along the flow, a cell more for the joint
            return self.place_at_port(edge, anchor, flow, True)
        if side is not None and side == flow:
            return self.place_at_port(edge, anchor, side, False)
        if side is not None and self.place_around(edge, anchor, flow):  # other start sides do not move the target
            return True
        if self.user_rank(edge.target) is not None and self.rank[edge.source] >= self.rank[edge.target]:
            self.put(edge.target, self.rank_spot(edge.target))  # a rank not above its source's
            return True  # its edge is routed once the chain is laid
        # a joint needs a cell before the target, and a label one more after the joint
        gap = self.gap(edge) + ((2 if edge.label else 1) if self.shared_end(edge) else 0)
        for _ in range(2):
            for d, mid, pos in self.around(anchor, flow, gap):
                if self.fits(edge.target, pos) and self.free(mid) and self.apart(edge.target, pos):
                    self.put(edge.target, pos)
                    if self.g.edge_attr(edge, "flow"):  # an explicit flow carries on from here
                        self.entered[edge.target] = d
                    if side is not None:  # its port is routed last, after the port's other edges
                        self.deferred.add(edge)
                    self.route(edge)
                    return True
            # no room around it: two cells further out (beyond the nodes in the way)
            for _d, _mid, pos in self.around(anchor, flow, self.gap(edge) + 2):
                if self.fits(edge.target, pos):
                    self.put(edge.target, pos)
                    self.route(edge)
                    return True
            if not self.grow_by_one(anchor):  # else grow it and look again
                return False
        return False

    def place_around(self, edge: Edge, anchor: Placed, flow: str) -> bool:
        """A target of a fixed (unshared) start side goes where any target would (the flow's
        front first), on every second cell of a side."""
        for d, mid, pos in self.around(anchor, flow, self.gap(edge)):
            if anchor.side_cells(d).index(mid) % 2 == 0 and self.fits(edge.target, pos) and self.free(mid):
                self.put(edge.target, pos)
                self.route(edge)
                return True
        return False

    @staticmethod
    def around(anchor: Placed, flow: str, gap: int = 1) -> list[tuple[str, Pos, Pos]]:
        """(side, edge cell, node cell) spots around a node: the flow's front, right, back, left;
        ``gap`` edge cells between."""
        out = []
        for d in (turn(flow, t) for t in range(4)):
            dx, dy = DELTA[d]
            for mid in anchor.side_cells(d)[::2]:
                out.append((d, mid, (mid[0] + dx * gap, mid[1] + dy * gap)))
        return out

    def gap(self, edge: Edge) -> int:
        """Edge cells between two nodes: ``minlen`` (in Graph::Easy's units) or one."""
        try:
            minlen = int(self.g.edge_attr(edge, "minlen") or 1)
        except ValueError:
            minlen = 1
        return max(1, min((minlen + 1) // 2, 32))

    def shared_port(self, edge: Edge, key: str) -> bool:
        """Whether ``edge``'s ``start``/``end`` port (``side,N``) is shared with another edge."""
        side, slot = _port(self.g, edge, key, self.edge_flow(edge))
        if side is None or slot is None:
            return False
        node = edge.source if key == "start" else edge.target
        others = self.succ[node] if key == "start" else self.pred[node]
        return sum(_port(self.g, e, key, self.edge_flow(e)) == (side, slot) for e in others) > 1

    def place_at_port(self, edge: Edge, anchor: Placed, side: str, shared: bool) -> bool:
        """A fixed start side: targets stack along that side (the source grows to reach them);
        a port (``side,N``) that several edges share leaves one more cell for the joint."""
        dist = 3 if shared and self.shared_port(edge, "start") else 2
        dx, dy = DELTA[side]
        px, py = (0, 1) if side in "EW" else (1, 0)
        base = anchor.side_cells(side)[0]
        sibling = self.placed_sibling_target(edge) if shared else None
        if sibling is not None:  # under the port's first placed target, every second row
            base, dist = (sibling.pos[0] - dx, sibling.pos[1] - dy), 2
        for k in range(64):
            step = 2 * k  # targets of a fixed side: every second row
            pos = (base[0] + dx * (dist - 1) + px * step, base[1] + dy * (dist - 1) + py * step)
            if not self.fits(edge.target, pos):
                continue
            if sibling is not None and not self.free((pos[0] - px, pos[1] - py)):
                continue  # a line or a node just above: one more row down
            if not shared and not self.grow_to(anchor, step + 1, side):
                continue
            self.put(edge.target, pos)
            self.entered[edge.target] = side
            self.route(edge)
            return True
        return False

    def grow_toward(self, src: Placed, dst: Placed, side: str) -> None:
        """Grow ``src`` (whose ``side`` is taken) along ``side`` until that side faces ``dst``'s
        first column (row), if ``dst`` lies beyond that side and the cells are free."""
        (sx, sy), (dx_, dy_) = src.pos, dst.pos
        if side in "NS":
            beyond = dy_ > sy + src.size[1] - 1 if side == "S" else dy_ + dst.size[1] - 1 < sy
            if beyond and dx_ > sx + src.size[0] - 1:
                self.grow_to(src, dx_ - sx + 1, side)
        else:
            beyond = dx_ > sx + src.size[0] - 1 if side == "E" else dx_ + dst.size[0] - 1 < sx
            if beyond and dy_ > sy + src.size[1] - 1:
                self.grow_to(src, dy_ - sy + 1, side)

    def placed_sibling_target(self, edge: Edge) -> Placed | None:
        """The first placed target of another edge leaving by the same port as ``edge``."""
        key = _port(self.g, edge, "start", self.edge_flow(edge))
        for e in sorted(self.succ[edge.source], key=lambda e: e.order):
            if e is not edge and e.target is not edge.source and e.target in self.out.nodes \
                    and _port(self.g, e, "start", self.edge_flow(e)) == key:
                return self.out.nodes[e.target]
        return None

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

    def shared_end(self, edge: Edge) -> list[Edge]:
        """The other edges ending at the same port (``end: side,N``) as ``edge``, in order."""
        side, slot = _port(self.g, edge, "end", self.edge_flow(edge))
        if side is None or slot is None:
            return []
        return [e for e in self.pred[edge.target] if e is not edge
                and _port(self.g, e, "end", self.edge_flow(e)) == (side, slot)]

    def place_below_sibling(self, edge: Edge) -> bool:
        """A source joining a shared end port goes under the first placed source of that port,
        every second row."""
        siblings = [self.out.nodes[e.source] for e in self.shared_end(edge) if e.source in self.out.nodes]
        if not siblings:
            return False
        x, y = siblings[0].pos
        for k in range(1, 64):
            pos = (x, y + 2 * k)
            if self.fits(edge.source, pos):
                self.put(edge.source, pos)
                self.route(edge)
                return True
        return False

    def place_pred(self, edge: Edge) -> bool:
        """Place ``edge.source`` next to its placed target."""
        if self.place_below_sibling(edge):
            return True
        anchor = self.out.nodes[edge.target]
        flow = self.node_flow(edge.target)
        for _d, mid, pos in self.around(anchor, flow, self.gap(edge)):  # as a successor's: front, right, back, left
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

    def route_placed(self, node: Node, outgoing: bool = False) -> None:
        for e in sorted(self.succ[node] + ([] if outgoing else self.pred[node]), key=lambda e: e.order):
            if e.source in self.out.nodes and e.target in self.out.nodes:
                self.route(e)

    def route_all_placed(self) -> None:
        rank = {n: i for i, n in enumerate(self.out.nodes)}  # the edges of nodes placed earlier first
        for e in sorted(self.g.edges, key=lambda e: (e.source is e.target, rank.get(e.source, 1 << 30), e.order)):
            if e.source in self.out.nodes and e.target in self.out.nodes:
                self.route(e)

    def lay_chain(self, chain: list[Node], route_all: bool = True) -> None:
        """Place a chain whose head is placed: each next node along the flow."""
        for a, b in zip(chain, chain[1:]):
            if b in self.out.nodes:
                continue
            edge = next(e for e in self.succ[a] if e.target is b)
            if a not in self.out.nodes or not self.place_from(edge):
                break
            self.place_port_siblings(edge)
        for a, b in zip(chain, chain[1:]):  # the chain's own edges (every one between its links) first
            for e in sorted(self.succ[a], key=lambda e: e.order):
                if e.target is b and a in self.out.nodes and b in self.out.nodes:
                    self.route(e)
        if route_all:
            self.route_all_placed()

    def place_port_siblings(self, edge: Edge) -> None:
        """The other targets of edges leaving by the same port as ``edge`` go with it."""
        port = self.g.edge_attr(edge, "start")
        if not port or "," in port:  # a shared port (``front,0``) is not stacked this way
            return
        for e in sorted(self.succ[edge.source], key=lambda e: e.order):
            if e.target not in self.out.nodes and self.g.edge_attr(e, "start") == port:
                self.place_from(e)

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
            rest = sorted(chains[1:], key=lambda c: c[0].name)
            rest = rest[-1:] + rest[:-1]
            rest.sort(key=lambda c: -len(c))
            progress = True
            expanded = False
            while progress:
                progress = False
                if not expanded and any(c[0] in self.out.nodes for c in rest[:1]):
                    expanded = True  # after the first other chain, the root chain's successors
                    for node in chains[0]:
                        if node in self.out.nodes:
                            self.expand(node)
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
                        self.put(stuck[0], self.free_row_spot(stuck[0]))
                        self.route_placed(stuck[0])
                        self.lay_chain(stuck)
                        progress = True
                if not progress:
                    progress = self.place_near()

    def free_row_spot(self, node: Node) -> Pos:
        """The first free row of the first column (clear of other nodes and edges)."""
        ys = [p[1] for p in self.out.cells]
        for y in range(min(ys), max(ys) + 3):
            if self.fits(node, (0, y)) and self.apart(node, (0, y)):
                return (0, y)
        return self.new_component_pos(node)

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
        """One node linked to placed ones: a successor first (see :meth:`expand`), else a
        predecessor (last name first). False when there is none."""
        unplaced = sorted((n for n in self.g.nodes.values() if n not in self.out.nodes), key=lambda n: n.name)
        # successors of placed nodes: those of the node placed first first (depth first: see expand)
        for node in list(self.out.nodes):
            if self.expand(node):
                return True
        for n in reversed(unplaced):
            succs = sorted((e for e in self.succ[n] if e.target in self.out.nodes), key=lambda e: e.order)
            if any(self.place_pred(e) for e in succs[:1]):
                self.route_placed(n)
                return True
        return False

    def expand(self, node: Node) -> bool:
        """Place ``node``'s unplaced successors beside it (the deepest first, then by name), each
        with its own chain, and those chains' successors in turn (depth first). False: none placed."""
        placed_any = False
        edges = sorted((e for e in self.succ[node] if e.target not in self.out.nodes),
                       key=lambda e: (-self.depth(e.target), e.target.name, e.order))
        for e in edges:
            if e.target in self.out.nodes or not self.place_from(e):
                continue
            placed_any = True
            self.route_placed(e.target, outgoing=True)  # its other incoming edges: later
            chain = self.chain_from(e.target)
            self.lay_chain(chain, route_all=False)
            for member in chain:
                if member in self.out.nodes:
                    self.expand(member)
        return placed_any

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
        if edge in self.routed or edge in self.deferred:
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
            if path is None:  # around: along the port's other edges as far as they help
                shared = frozenset(c for c, o in self.out.cells.items() if isinstance(o, EdgeCell) and o.port == port)
                path = self.astar(edge, src, dst, shared=shared, port_cell=src.side_cells(start or "E")[0])
        end, end_slot = _port(self.g, edge, "end", flow)
        join = (edge.target, end, end_slot, "end") if end is not None and end_slot is not None else None
        joinable = {c for c, o in self.out.cells.items() if isinstance(o, EdgeCell) and join is not None
                    and o.port == join and not o.cross and len(o.sides) == 2 and not o.label
                    and (o.edge.bidirectional or not self.touches(c, o.edge.source))}
        # (not where a sibling leaves its source, unless an arrow points back into it there)
        if path is None and start is not None and slot is None and self.straight(edge, src, dst) is None \
                and not any(self.free(c) for c in src.side_cells(start)):
            self.grow_toward(src, dst, start)  # a fixed side reaches over to a target beyond it
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

    def touches(self, cell: Pos, node: Node) -> bool:
        placed = self.out.nodes.get(node)
        return placed is not None and any(abs(c[0] - cell[0]) + abs(c[1] - cell[1]) == 1 for c in placed.covers())

    def port_path(self, src: Placed, dst: Placed, side: str, port: tuple[object, ...]) -> list[Pos] | None:
        """Out of the shared port cell, along the joint line, then straight into the target's
        back; else on out of the port to the target's row (column), then into its near side."""
        p = src.side_cells(side)[0]
        across = "y" if side in "EW" else "x"  # the joint line runs across the port's side
        shapes = [(dst.side_cells(OPPOSITE[side])[0], across)]
        if side in "NS":
            shapes.append((dst.side_cells("W" if dst.pos[0] > p[0] else "E")[0], "y"))
        else:
            shapes.append((dst.side_cells("N" if dst.pos[1] > p[1] else "S")[0], "x"))
        for entry, axis in shapes:
            path = _l_path(p, entry, axis)
            if all((o := self.out.cells.get(c)) is None or (isinstance(o, EdgeCell) and o.port == port) for c in path):
                return path
        return None

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
              joinable: set[Pos] | frozenset[Pos] = frozenset(), shared: frozenset[Pos] = frozenset(),
              port_cell: Pos | None = None) -> list[Pos] | None:
        """``shared``: cells of edges leaving by the same port as ``edge`` (it starts on
        ``port_cell`` and may run along them at no extra cost)."""
        if anywhere:  # the last resort: join the cells of an edge with the same source or target
            joinable = {c for c, o in self.out.cells.items() if isinstance(o, EdgeCell)
                        and (o.edge.source is edge.source or o.edge.target is edge.target)}
        flow = self.edge_flow(edge)
        start_side, _ = _port(self.g, edge, "start", flow) if ports else (None, None)
        end_side, _ = _port(self.g, edge, "end", flow) if ports else (None, None)
        order = ["N", "E", "S", "W"]
        starts = [(s, c) for s in order if start_side in (None, s) for c in src.side_cells(s)
                  if port_cell is None or c == port_cell]
        goals = {c: s for s in order if end_side in (None, s) for c in dst.side_cells(s)}
        goals.update(dict.fromkeys(joinable, "J"))
        heap: list[tuple[int, int, int, Pos, str, tuple[Pos, ...]]] = []
        tie = 0
        for side, cell in starts:
            if self.passable(cell, side, joinable) or cell in shared:
                tie += 1
                cross = 30 if cell in self.out.cells else 0  # leaving across another edge costs too
                heapq.heappush(heap, (1 + cross + self.h(cell, goals), order.index(side), tie, cell, side, (cell,)))
        seen: dict[tuple[Pos, str], int] = {}
        xs = [p[0] for p in self.out.cells] + [p[0] for p in goals]
        ys = [p[1] for p in self.out.cells] + [p[1] for p in goals]
        x_lo, x_hi, y_lo, y_hi = min(xs) - 2, max(xs) + 2, min(ys) - 2, max(ys) + 2
        limit = 20000
        h_of: dict[Pos, int] = {}

        def h(cell: Pos) -> int:  # the distance to the nearest goal, remembered per search
            if cell not in h_of:
                h_of[cell] = self.h(cell, goals)
            return h_of[cell]

        while heap and limit and self.work < WORK_LIMIT:
            limit -= 1
            self.work += 1
            f, rank, _, cell, heading, path = heapq.heappop(heap)
            cost = f - h(cell)
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
                if nxt in path or not (self.passable(nxt, side, joinable) or nxt in shared):
                    continue
                if nxt in shared:
                    step = 1  # along the port's other edges: free
                else:
                    step = 1 + (6 if side != heading else 0) + (30 if nxt in self.out.cells else 0)
                    end_side = goals.get(nxt)
                    if end_side in _CLOCKWISE and side != OPPOSITE[end_side]:
                        step += 6  # the turn into the target node is a bend too
                step += 50 if anywhere and nxt in joinable else 0
                tie += 1
                heapq.heappush(heap, (cost + step + h(nxt), rank, tie, nxt, side, path + (nxt,)))
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
        fan_in = port is not None and len(port) == 4  # toward a shared end port: the label sits last
        if fan_in:
            label_at = next((c for c in reversed(path[:-1] if joined else path)
                             if c not in self.out.cells and _is_straight(path, c, first, last)), None)
        cells: list[EdgeCell] = []
        self.out.paths.append(cells)
        if joined:  # the path ends on a cell of an edge sharing its end port: a joint
            joint = self.out.cells[path[-1]]
            assert isinstance(joint, EdgeCell)
            join_cell = joint
            join_cell.sides.add(_dir(path[-1], path[-2]) if len(path) > 1 else first)
            if len(path) == 1 and edge.bidirectional:  # it leaves its source right on the joint
                join_cell.gaps.add(first)
                join_cell.arrows.add(first)
            path = path[:-1]
        for i, cur in enumerate(path):
            a = first if i == 0 else _dir(cur, path[i - 1])
            b = (last if not joined else _dir(cur, path_end)) if i == len(path) - 1 else _dir(cur, path[i + 1])
            existing = self.out.cells.get(cur)
            if isinstance(existing, EdgeCell):
                cells.append(existing)
                if port is None or existing.port != port:
                    existing.cross = True
                    if {a, b} in ({"E", "W"}, {"N", "S"}):
                        existing.crossed_by, existing.crossed_upright = edge, {a, b} == {"N", "S"}
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
                    and ((straight and not fan_in) or cur == label_at):
                cell.label = edge.label
                # a bent path's label widens a vertical cell or one at a node, else it overhangs
                cell.label_room = straight or fan_in or cell.sides == {"N", "S"} or bool(cell.gaps)
                label_done = True
            self.out.cells[cur] = cell
            cells.append(cell)
        if joined:
            cells.append(join_cell)

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
        self.deferred.clear()
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


def _l_path(start: Pos, end: Pos, first: str) -> list[Pos]:
    """The cells from ``start`` to ``end``: along ``first`` ("x" or "y") first, then the other axis."""
    path = [start]
    cur = start
    for axis in (first, "y" if first == "x" else "x"):
        i = 0 if axis == "x" else 1
        step = 1 if end[i] > cur[i] else -1
        while cur[i] != end[i]:
            cur = (cur[0] + step, cur[1]) if i == 0 else (cur[0], cur[1] + step)
            path.append(cur)
    return path


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
