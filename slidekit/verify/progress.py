"""Build progress displays for the events the verifier emits (:mod:`slidekit.verify.vocab`).

On a terminal a rich live table shows every build running at that moment, one
row per stage (stages build side by side with BuildKit), with its current
instruction; otherwise (CI logs, pipes) one plain line per build and per
finished stage. Both write to stderr so ``--format json`` output stays clean.
"""

from __future__ import annotations

import threading
from dataclasses import replace
import time
from typing import TYPE_CHECKING, TextIO

from slidekit.sanitize import clean
from slidekit.verify.vocab import ProgressEvent, ProgressKind, describe

if TYPE_CHECKING:
    from rich.console import RenderableType

__all__ = ["PlainProgress", "ProgressEvent", "RichProgress", "for_stream"]


class PlainProgress:
    """One line per build start and finished stage (no step chatter). Thread-safe."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        text = describe(cleaned(event))
        if text is not None:
            with self._lock:
                self.stream.write(f"slidekit verify: {text}\n")
                self.stream.flush()

    def close(self) -> None:
        pass


class RichProgress:
    """A live view: a status line, and one row per stage building now with its instruction."""

    def __init__(self, stream: TextIO) -> None:
        # rich loads only on a terminal: CI logs and the warm cached path never pay for it.
        from rich.console import Console
        from rich.live import Live

        self.console = Console(file=stream, stderr=True, highlight=False)
        self._lock = threading.Lock()
        self._status = "verifying…"
        self._rows: dict[str, tuple[str, float]] = {}  # "dockerfile:stage" -> (instruction, since)
        self._live = Live(self.view(), console=self.console, refresh_per_second=8, transient=True)
        self._live.start()

    def view(self) -> RenderableType:
        from rich.console import Group
        from rich.markup import escape
        from rich.spinner import Spinner
        from rich.table import Table

        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, justify="right")
        table.add_column(no_wrap=True, overflow="ellipsis")
        now = time.monotonic()
        for where, (text, since) in list(self._rows.items()):
            instr = text if len(text) <= 60 else text[:59] + "…"
            table.add_row(f"[cyan]{escape(where)}[/]", f"{now - since:5.1f}s", escape(instr))
        return Group(Spinner("dots", text=escape(self._status)), table)

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            self._apply(cleaned(event))
            self._live.update(self.view())

    def _apply(self, event: ProgressEvent) -> None:
        from rich.markup import escape

        if event.kind is ProgressKind.STEP:
            previous = self._rows.get(event.where)
            since = previous[1] if previous else time.monotonic()
            self._rows[event.where] = (f"{event.step}/{event.total} {event.text}", since)
            return
        if event.kind in (ProgressKind.STAGE, ProgressKind.CHECKED):
            self._rows.pop(event.where, None)
            mark = "[green]✓[/]" if event.ok else "[red]✗[/]"
            self._live.console.print(f"{mark} {escape(describe(event) or '')}", highlight=False)
            return
        text = describe(event)
        if text is not None:
            self._status = text

    def close(self) -> None:
        self._live.stop()


def cleaned(event: ProgressEvent) -> ProgressEvent:
    """``event`` with the deck's text in it (stage names, instructions, check commands) passed through the
    terminal sanitizer."""
    return replace(event, dockerfile=clean(event.dockerfile), stage=clean(event.stage), text=clean(event.text))


def for_stream(stream: TextIO) -> PlainProgress | RichProgress:
    """Rich on a terminal, plain lines otherwise."""
    isatty = getattr(stream, "isatty", None)
    return RichProgress(stream) if isatty is not None and isatty() else PlainProgress(stream)
