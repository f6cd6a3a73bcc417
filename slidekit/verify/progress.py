"""Build progress displays for the events the verifier emits (:mod:`slidekit.verify.vocab`).

On a terminal a rich live table shows every build running at that moment, one
row per stage (stages build side by side with BuildKit), with its current
instruction; otherwise (CI logs, pipes) one plain line per build and per
finished stage. Both write to stderr so ``--format json`` output stays clean.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, TextIO

from slidekit.verify.vocab import ProgressEvent, cleaned, describe

if TYPE_CHECKING:
    from slidekit.verify.progress_rich import RichProgress

__all__ = ["PlainProgress", "ProgressEvent", "for_stream"]


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


def for_stream(stream: TextIO) -> PlainProgress | RichProgress:
    """Rich on a terminal, plain lines otherwise."""
    if not stream.isatty():
        return PlainProgress(stream)
    from slidekit.verify.progress_rich import RichProgress  # noqa: PLC0415 - boundary: rich only on a terminal

    return RichProgress(stream)
