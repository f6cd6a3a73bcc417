"""``~~~graph-easy`` blocks drawn by :mod:`slidekit.diagram`, in process: no command runs, so
they render in every deck, trusted or not."""

from __future__ import annotations

from slidekit.diagram import DiagramError, layout, parse
from slidekit.diagram.render import draw
from slidekit.diagram.request import native_format
from slidekit.preprocess.apply import Resolution


def native_resolution(command: str, body: str, body_start: int) -> Resolution | None:
    """The block's drawing, a failure located at its deck line, or None (not for the native renderer)."""
    fmt = native_format(command)
    if fmt is None:
        return None
    try:
        graph = parse(body)
        lay = layout(graph)
        drawing = draw(graph, lay, boxart=fmt == "boxart")
    except DiagramError as exc:
        notice = f"graph-easy: line {body_start + exc.line - 1}, column {exc.col}: {exc.message}"
        return Resolution(None, notice, True, notice)
    if lay.unrouted:  # the layouter's work limit ran out (as the real tool, it gives up on a huge graph)
        problem = (f"graph-easy: line {body_start}: the graph is too big to lay out in time: "
                   f"{len(lay.unrouted)} of {len(graph.edges)} edges left out")
        return Resolution(drawing, None, False, problem)
    return Resolution(drawing)
