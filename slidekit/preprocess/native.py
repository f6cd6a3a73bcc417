"""``~~~graph-easy`` blocks drawn by :mod:`slidekit.diagram`, in process: no command runs, so
they render in every deck, trusted or not."""

from __future__ import annotations

from slidekit.diagram import DiagramError, render
from slidekit.diagram.request import native_format
from slidekit.preprocess.apply import Resolution


def native_resolution(command: str, body: str, body_start: int) -> Resolution | None:
    """The block's drawing, a failure located at its deck line, or None (not for the native renderer)."""
    fmt = native_format(command)
    if fmt is None:
        return None
    try:
        return Resolution(render(body, fmt))
    except DiagramError as exc:
        notice = f"graph-easy: line {body_start + exc.line - 1}, column {exc.col}: {exc.message}"
        return Resolution(None, notice, True, notice)
