"""``slidekit present DECK``: show a deck full-screen in the terminal (``slidekit DECK`` for short)."""

from __future__ import annotations

import click

from slidekit.commands.common import open_deck, open_theme, preprocess_options
from slidekit.errors import SlidekitError


@click.command("present")
@click.argument("deck", metavar="DECK")
@click.option("--notes", is_flag=True,
              help="Show the speaker view (notes, next slide, timer) following a presenter in another terminal.")
@click.option("--theme", "theme", metavar="THEME", default=None,
              help="Theme name or JSON file (overrides the deck's `theme:`).")
@preprocess_options
def command(deck: str, notes: bool, theme: str | None, allow_exec: bool, strict: bool) -> int:
    """Present DECK full-screen. Keys: ? shows them all; q quits.

    \b
    next: space right down enter n j l pgdown   prev: left up p h k N pgup
    <n>G go to slide n, gg first, G last, / search, ctrl+n next match,
    J/K or ctrl+d/ctrl+u scroll, ctrl+e run code, r reload, ? help.
    Run `slidekit present DECK --notes` in a second terminal for speaker notes.
    """
    from slidekit.present.screen import Terminated, open_tty

    loader = None
    loaded = None
    if not notes and deck != "-":
        from slidekit.files import read_deck_text
        from slidekit.present.quick import quick_deck

        # draw slide 1 from a partial parse; the full deck loads right after the first frame
        loaded = quick_deck(read_deck_text(deck), deck)
        if loaded is not None:
            loader = lambda: open_deck(deck, quiet=True, allow_exec=allow_exec, strict=strict)  # noqa: E731
    if loaded is None:
        loaded = open_deck(deck, allow_exec=allow_exec, strict=strict)
    try:
        in_fd, out_fd = open_tty()
    except OSError:
        raise SlidekitError("presenting needs a terminal (no tty available)", deck) from None
    try:
        if notes:
            from slidekit.present.notes import show_notes

            show_notes(deck, loaded, in_fd, out_fd, allow_exec=allow_exec, strict=strict)
        else:
            from slidekit.present.app import Options, present

            present(Options(deck, allow_exec, strict, theme), loaded, open_theme(loaded, theme), in_fd, out_fd,
                    loader=loader)
    except Terminated as exc:
        return exc.exit_code
    return 0
