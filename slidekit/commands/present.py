"""``slidekit present DECK``: show a deck full-screen in the terminal (``slidekit DECK`` for short)."""

from __future__ import annotations

import click

from slidekit.commands._options import engine_option, preprocess_options
from slidekit.present.start import present_deck
from slidekit.verify.engine import selected_engine


@click.command("present")
@click.argument("deck", metavar="DECK")
@click.option("--notes", is_flag=True,
              help="Show the speaker view (notes, next slide, timer) following a presenter in another terminal.")
@click.option("--theme", "theme", metavar="THEME", default=None,
              help="Theme name or JSON file (overrides the deck's `theme:`).")
@engine_option
@preprocess_options
def command(deck: str, notes: bool, theme: str | None, engine: str | None, allow_exec: bool, strict: bool,
            refresh: bool) -> int:
    """Present DECK full-screen. Keys: ? shows them all; q quits.

    \b
    next: space right down enter n j l pgdown   prev: left up p h k N pgup
    <n>G go to slide n, gg first, G last, / search, ctrl+n next match,
    J/K or ctrl+d/ctrl+u scroll, ctrl+e run code, r reload, ? help.
    Run `slidekit present DECK --notes` in a second terminal for speaker notes.
    """

    if engine is not None:
        selected_engine(engine)  # an unknown context is an error now, not at ctrl+e
    return present_deck(deck, notes=notes, theme=theme, allow_exec=allow_exec, strict=strict, refresh=refresh,
                        engine=engine)
