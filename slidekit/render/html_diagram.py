"""Native ``~~~graph-easy`` blocks in the HTML export: an inline SVG (crisp at any zoom,
coloured by the theme through ``currentColor``) with the boxart as its text fallback
(the SVG's ``<desc>``). No script: the CSP stays strict."""

from __future__ import annotations

from slidekit.diagram import DiagramError, layout, parse
from slidekit.diagram.request import native_format
from slidekit.diagram.svg import draw_svg


def diagram_svg(command: str, body: str, boxart: str) -> str | None:
    """The SVG for a block the native renderer drew, or None (not native, or bad input)."""
    if native_format(command) is None:
        return None
    try:
        graph = parse(body)
    except DiagramError:
        return None
    return draw_svg(graph, layout(graph), title=boxart)
