"""The graph a Graph::Easy text describes: nodes, edges, groups and class attributes."""

from __future__ import annotations

from dataclasses import dataclass, field

Attrs = dict[str, str]


class DiagramError(ValueError):
    """Bad Graph::Easy input, located at ``line:col`` (1-based) of the diagram text."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(f"{line}:{col}: {message}")
        self.message = message
        self.line = line
        self.col = col


@dataclass(eq=False)
class Node:
    name: str
    attrs: Attrs = field(default_factory=dict)
    group: Group | None = None
    order: int = 0
    anonymous: bool = False

    def __repr__(self) -> str:
        return f"Node({self.name!r})"


@dataclass(eq=False)
class Edge:
    source: Node
    target: Node
    style: str = "solid"  # solid dotted dashed double double-dash dot-dash dot-dot-dash wave bold
    directed: bool = True
    bidirectional: bool = False
    label: str = ""
    attrs: Attrs = field(default_factory=dict)
    order: int = 0

    def __repr__(self) -> str:
        return f"Edge({self.source.name!r}->{self.target.name!r})"


@dataclass(eq=False)
class Group:
    name: str
    attrs: Attrs = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    parent: Group | None = None


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    classes: dict[str, Attrs] = field(default_factory=dict)  # "graph", "node", "node.red", "edge", "group"...

    def attr(self, kind: str, own: Attrs, key: str, default: str = "") -> str:
        """An attribute of an object: its own value, then its class's, then the kind's."""
        if key in own:
            return own[key]
        cls = own.get("class", "")
        for name in cls.lower().split():
            value = self.classes.get(f"{kind}.{name}", {}).get(key)
            if value is not None:
                return value
        return self.classes.get(kind, {}).get(key, default)

    def add_class(self, selector: str, attrs: Attrs) -> None:
        self.classes.setdefault(selector.lower(), {}).update(attrs)

    def node_attr(self, node: Node, key: str, default: str = "") -> str:
        return self.attr("node", node.attrs, key, default)

    def edge_attr(self, edge: Edge, key: str, default: str = "") -> str:
        return self.attr("edge", edge.attrs, key, default)

    def graph_attr(self, key: str, default: str = "") -> str:
        return self.classes.get("graph", {}).get(key, default)
