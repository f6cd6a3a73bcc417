"""``slidekit present DECK``: show a deck full-screen in the terminal (``slidekit DECK`` for short)."""

from __future__ import annotations

import click

from slidekit.commands._options import duration_option, engine_option, preprocess_options
from slidekit.present.start import present_deck
from slidekit.verify.engine import selected_engine


@click.command("present")
@click.argument("deck", metavar="DECK")
@click.option("--notes", is_flag=True,
              help="Show the speaker view (notes, next slide, timer) following a presenter in another terminal.")
@click.option("--theme", "theme", metavar="THEME", default=None,
              help="Theme name or JSON file (overrides the deck's `theme:`).")
@click.option("--image-protocol", type=click.Choice(["auto", "kitty", "iterm", "sixel", "halfblocks"]),
              default="auto", show_default=True,
              help="How images are drawn: detected from the terminal (KITTY_WINDOW_ID, TERM, TERM_PROGRAM), "
                   "or forced; halfblocks works in any colour terminal.")
@engine_option
@duration_option
@preprocess_options
def command(deck: str, notes: bool, theme: str | None, image_protocol: str, engine: str | None,
            duration: float | None, allow_exec: bool, strict: bool, refresh: bool) -> int:
    """Present DECK full-screen. Keys: ? shows them all; q quits.

    \b
    next: space right down enter n j l pgdown   prev: left up p h k N pgup
    <n>G go to slide n, gg first, G last, / search, ctrl+n next match,
    J/K or ctrl+d/ctrl+u scroll, ctrl+e run code, r reload, ? help.
    Run `slidekit present DECK --notes` in a second terminal for speaker notes;
    with --duration 20m it shows a countdown (p pauses, r resets it there).
    """

    if engine is not None:
        selected_engine(engine)  # an unknown context is an error now, not at ctrl+e
    return present_deck(deck, notes=notes, theme=theme, allow_exec=allow_exec, strict=strict, refresh=refresh,
                        engine=engine, duration=duration,
                        image_protocol=None if image_protocol == "auto" else image_protocol)
