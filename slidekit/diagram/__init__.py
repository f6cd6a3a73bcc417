"""A pure-Python Graph::Easy: parse its text language, lay the graph out on a grid, draw it.

``render(text, "boxart"|"ascii"|"svg")`` is the whole API; everything here is pure (text in,
text out). Written from Graph::Easy's documented language and from observed outputs.
"""

from __future__ import annotations

from slidekit.diagram.layout import layout
from slidekit.diagram.model import DiagramError, Graph
from slidekit.diagram.parse import parse
from slidekit.diagram.render import draw
from slidekit.diagram.svg import draw_svg

FORMATS = ("boxart", "ascii", "svg")

__all__ = ["FORMATS", "DiagramError", "Graph", "layout", "parse", "render", "supports"]


def supports(fmt: str) -> bool:
    return fmt in FORMATS


def render(text: str, fmt: str = "boxart") -> str:
    """``text`` (Graph::Easy) drawn as ``fmt``; :class:`DiagramError` for bad input."""
    graph = parse(text)
    lay = layout(graph)
    if fmt == "svg":
        return draw_svg(graph, lay)
    if fmt not in ("boxart", "ascii"):
        raise ValueError(f"unsupported diagram format {fmt!r}")
    return draw(graph, lay, boxart=fmt == "boxart")
