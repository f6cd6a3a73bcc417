"""Starting a talk: ``slidekit present DECK`` without the command-line machinery.

:mod:`slidekit.commands.present` (click) calls :func:`present_deck`, and so does
:func:`slidekit.cli.main` directly for a bare ``slidekit [present] DECK.md``, so
the first frame does not wait for click to load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slidekit.deck import cache as deck_cache
from slidekit.errors import SlidekitError
from slidekit.files import read_deck_text
from slidekit.present.app import Options, present
from slidekit.present.ask import ask, should_ask
from slidekit.present.notes import show_notes
from slidekit.present.screen import Terminated, open_tty
from slidekit.session import open_deck, open_theme

if TYPE_CHECKING:
    from slidekit.deck.model import Deck


def present_deck(deck: str, *, notes: bool = False, theme: str | None = None, allow_exec: bool = False,
                 strict: bool = False, refresh: bool = False, engine: str | None = None) -> int:
    """Present (or with ``notes``, follow as the speaker view) the deck at ``deck``; the exit code.
    ``engine`` is ``--engine``: the Docker engine ctrl+e builds on.

    A deck parsed before comes from the parsed-deck cache (:mod:`slidekit.deck.cache`); otherwise slide 1 is
    drawn from a partial parse and the full deck loads right after the first frame."""
    loader = None
    loaded = None
    if not notes and deck != "-" and not allow_exec:
        _ask_trust(deck)
    if not notes and deck != "-" and not deck_cache.has(read_deck_text(deck), deck):
        from slidekit.present.quick import quick_deck  # noqa: PLC0415 - boundary: the parser, on a cache miss only

        loaded = quick_deck(read_deck_text(deck), deck)
        if loaded is not None:
            def loader() -> Deck:
                return open_deck(deck, preprocess=True, quiet=True, allow_exec=allow_exec, strict=strict,
                                 refresh=refresh)
    if loaded is None:
        loaded = open_deck(deck, preprocess=True, allow_exec=allow_exec, strict=strict, refresh=refresh)
    try:
        in_fd, out_fd = open_tty()
    except OSError:
        raise SlidekitError("presenting needs a terminal (no tty available)", deck) from None
    try:
        if notes:
            show_notes(deck, loaded, in_fd, out_fd, allow_exec=allow_exec, strict=strict, refresh=refresh)
        else:
            present(Options(deck, allow_exec, strict, theme, refresh, engine), loaded, open_theme(loaded, theme), in_fd, out_fd,
                    loader=loader)
    except Terminated as exc:
        return exc.exit_code
    return 0


def _ask_trust(deck: str) -> None:
    """Before the talk: ask whether the deck's ``~~~cmd`` blocks may run (see
    :mod:`slidekit.present.ask`); a ``y`` is remembered for this process."""
    if "~~~" not in read_deck_text(deck):
        return  # no ~~~cmd block: nothing to ask (and no full parse before the first frame)
    parsed = open_deck(deck, quiet=True, preprocess=False)
    if not should_ask(parsed):
        return
    try:
        in_fd, out_fd = open_tty()
    except OSError:
        return  # no terminal: nothing runs (presenting fails right after with a clear error)
    ask(parsed, in_fd, out_fd)
