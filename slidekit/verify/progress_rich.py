"""The terminal's build progress: a rich live view with one row per stage building now.

Loaded only on a terminal (:func:`slidekit.verify.progress.for_stream`): CI logs, pipes and
the warm cached path never import rich.
"""

from __future__ import annotations

import threading
import time
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.markup import escape
from rich.spinner import Spinner
from rich.table import Table

from slidekit.verify.vocab import ProgressEvent, ProgressKind, cleaned, describe


class RichProgress:
    """A live view: a status line, and one row per stage building now with its instruction."""

    def __init__(self, stream: TextIO) -> None:
        self.console = Console(file=stream, stderr=True, highlight=False)
        self._lock = threading.Lock()
        self._status = "verifying…"
        self._rows: dict[str, tuple[str, float]] = {}  # "dockerfile:stage" -> (instruction, since)
        self._live = Live(self.view(), console=self.console, refresh_per_second=8, transient=True)
        self._live.start()

    def view(self) -> RenderableType:
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
