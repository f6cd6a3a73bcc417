"""Reloading while presenting: one reloader for the presenter and the speaker view.

:class:`FileWatch` notices that the deck (or its theme) was saved, by modification time; :class:`DeckSource`
re-reads the deck with the talk's pre-processing choices and, when the edit does not parse, says why and leaves
the last good version on screen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.session import open_deck

#: seconds between modification-time checks of the deck and its theme
POLL = 0.3

RELOAD_FAILED = "reload failed, showing the last good version — "


def mtime(path: Path | str | None) -> int | None:
    """The file's modification time in ns; None for stdin, no file, or one that cannot be read."""
    if path is None or str(path) == "-":
        return None
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


class FileWatch:
    """Modification times of some files, compared with the last snapshot."""

    def __init__(self, *paths: Path | str | None) -> None:
        self.stamps = {path: mtime(path) for path in paths}

    def changed(self) -> bool:
        return any(mtime(path) != stamp for path, stamp in self.stamps.items())

    def rearm(self, *paths: Path | str | None) -> None:
        """Take a new snapshot of ``paths`` (default: all), so only later saves count as changes."""
        for path in paths or tuple(self.stamps):
            self.stamps[path] = mtime(path)


@dataclass(frozen=True)
class DeckSource:
    """Where the talk's deck comes from, and how it was opened (so a reload opens it the same way)."""

    path: str
    allow_exec: bool = False
    strict: bool = False
    refresh: bool = False

    def reopen(self) -> tuple[Deck | None, str]:
        """The deck read again, and ``""``; or None and the banner saying why the last good version stays."""
        try:
            return open_deck(self.path, preprocess=True, quiet=True, allow_exec=self.allow_exec,
                             strict=self.strict, refresh=self.refresh), ""
        except SlidekitError as exc:
            return None, f"{RELOAD_FAILED}{exc}"
        except Exception as exc:  # noqa: BLE001 - a talk must survive any broken edit
            return None, f"{RELOAD_FAILED}{self.path}: {exc}"
