"""The one reloader of the presenter and the speaker view: change detection and keeping the last good deck."""

from __future__ import annotations

import os
from pathlib import Path

from slidekit.present.reload import RELOAD_FAILED, DeckSource, FileWatch


def test_file_watch_sees_saves_until_rearmed(tmp_path: Path) -> None:
    deck, theme = tmp_path / "talk.md", tmp_path / "theme.json"
    deck.write_text("# One\n")
    watch = FileWatch(deck, theme, None)  # a theme not there yet, and no theme at all
    assert not watch.changed()
    os.utime(deck, ns=(1, 1))
    assert watch.changed()
    watch.rearm(deck)
    assert not watch.changed()
    theme.write_text("{}")  # appearing counts as a change too
    assert watch.changed()
    watch.rearm()
    assert not watch.changed()
    deck.unlink()
    assert watch.changed()


def test_reopen_gives_the_new_deck_or_why_not(tmp_path: Path) -> None:
    path = tmp_path / "talk.md"
    path.write_text("# One\n\n---\n\n# Two\n")
    deck, failure = DeckSource(str(path)).reopen()
    assert deck is not None and len(deck.slides) == 2 and failure == ""
    path.write_text("---\ntimeout: [\n---\n# One\n")
    deck, failure = DeckSource(str(path)).reopen()
    assert deck is None and failure.startswith(f"{RELOAD_FAILED}{path}:")
