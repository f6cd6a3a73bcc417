"""Build progress: the events :func:`~slidekit.verify.run.verify_deck` emits, and two displays.

On a terminal a rich status line shows the current Dockerfile, stage and step;
otherwise (CI logs, pipes) one plain line per build and per finished stage.
Both write to stderr so ``--format json`` output stays clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from slidekit.sanitize import clean


@dataclass(frozen=True)
class ProgressEvent:
    """``kind``: "static", "build", "step", "stage", "cached", "smoke" (a check starts),
    "checked" (a check's verdict) or "done"."""

    kind: str
    dockerfile: str = ""
    stage: str = ""
    step: int = 0
    total: int = 0
    text: str = ""
    status: str = ""
    seconds: float = 0.0


def _describe(event: ProgressEvent) -> str | None:
    where = f"{event.dockerfile}:{event.stage}" if event.stage else event.dockerfile
    lines = {
        "static": "static checks",
        "build": f"building {where}",
        "stage": f"{where}: {event.status} ({event.seconds:.1f}s)",
        "cached": "unchanged since the last verify: using the cached result",
        "smoke": f"smoke check {where} ({event.text})" if event.stage else "running smoke checks",
        "checked": f"{where}: {event.text} check {event.status} ({event.seconds:.1f}s)",
    }
    return lines.get(event.kind)


class PlainProgress:
    """One line per build start and finished stage (no step chatter)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, event: ProgressEvent) -> None:
        text = _describe(event)
        if text is not None:
            self.stream.write(f"slidekit verify: {clean(text)}\n")
            self.stream.flush()

    def close(self) -> None:
        pass


class RichProgress:
    """A live status line: Dockerfile, stage, ``step N/M`` and the instruction."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console

        self.console = Console(file=stream, stderr=True, highlight=False)
        self.status: Any = self.console.status("verifying…")
        self.status.start()

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "step":
            instr = event.text if len(event.text) <= 60 else event.text[:59] + "…"
            self.status.update(
                f"[bold]{_escape(event.dockerfile)}[/]:[cyan]{_escape(event.stage)}[/] step {event.step}/{event.total}: "
                f"{_escape(instr)}"
            )
            return
        if event.kind in ("stage", "checked"):
            mark = "[green]✓[/]" if event.status in ("built", "passed") else "[red]✗[/]"
            self.console.print(f"{mark} {_escape(_describe(event) or '')}", highlight=False)
            return
        text = _describe(event)
        if text is not None:
            self.status.update(_escape(text))

    def close(self) -> None:
        self.status.stop()


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(clean(text))


def for_stream(stream: TextIO) -> PlainProgress | RichProgress:
    """Rich on a terminal, plain lines otherwise."""
    isatty = getattr(stream, "isatty", None)
    return RichProgress(stream) if isatty is not None and isatty() else PlainProgress(stream)
