"""``--watch``: re-export whenever the deck, or an image or theme next to it, changes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from slidekit import output
from slidekit.errors import SlidekitError
from slidekit.export.page import ExportOptions, export_once, summary
from slidekit.export.pdf import write_pdf
from slidekit.render.html_images import MIME


def watch_filter(deck_path: Path, outputs: set[Path]) -> Callable[[object, str], bool]:
    """Which changed files trigger a re-export: the deck, themes (.json) and images
    next to it; never our own outputs, temporary files or hidden folders (caches)."""
    folder = deck_path.parent

    def relevant(change: object, path: str) -> bool:
        p = Path(path).resolve()
        if p in outputs or p.name.endswith(".tmp"):
            return False
        try:
            parts = p.relative_to(folder).parts
        except ValueError:
            return False
        if any(part.startswith(".") or part == "__pycache__" for part in parts):
            return False
        return p == deck_path or p.suffix.lower() in MIME or p.suffix.lower() == ".json"

    return relevant


def watch_loop(deck_path: str, target: Path, options: ExportOptions, *, pdf: bool = False) -> None:
    """Re-export ``deck_path`` to ``target`` (and its PDF) on every relevant change until Ctrl-C;
    a failed export is reported and the loop goes on."""
    deck = Path(deck_path).resolve()
    outputs = {target.resolve(), target.with_suffix(".pdf").resolve()}
    output.out(f"watching {deck_path} (Ctrl-C to stop)")
    try:
        for _changes in watch(deck.parent, watch_filter=watch_filter(deck, outputs), debounce=200,
                              raise_interrupt=False):
            started = time.perf_counter()
            try:
                result = export_once(deck_path, target, options)
                if pdf:
                    write_pdf(target, target.with_suffix(".pdf"))
            except SlidekitError as exc:
                output.error(str(exc))
                continue
            output.out(summary(target, result, time.perf_counter() - started))
    except KeyboardInterrupt:
        pass
    output.out("stopped watching")
