"""``slidekit render DECK``: print rendered slides to stdout, no interaction."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import TYPE_CHECKING

import click

from slidekit import output
from slidekit.commands._options import preprocess_options
from slidekit.errors import SlidekitError
from slidekit.limits import MAX_WIDTH
from slidekit.render.terminal import detect_color_system, render_footer, render_slide, to_ansi
from slidekit.session import open_deck, open_theme

if TYPE_CHECKING:  # the renderer is imported when rendering (fast `--help`)
    from slidekit.deck.model import Deck
    from slidekit.theme.schema import Theme

SEPARATOR = "═"


def color_system_for(choice: str, env: Mapping[str, str], is_tty: bool) -> str | None:
    """``--color``: never → None; auto → what the terminal supports (None for
    pipes and under NO_COLOR); always → colour even in a pipe: 256 colours when
    TERM says so (and COLORTERM does not say truecolor), else truecolor."""

    if choice == "never":
        return None
    if choice == "auto":
        return detect_color_system(env, is_tty)
    forced = {k: v for k, v in env.items() if k != "NO_COLOR"}
    return "256" if detect_color_system(forced, True) == "256" else "truecolor"


def default_width() -> int:
    """The terminal's width ($COLUMNS first), or 80 when there is no terminal."""
    return min(max(shutil.get_terminal_size((80, 24)).columns, 1), MAX_WIDTH)


def render_deck(deck: Deck, theme: Theme, width: int, color_system: str | None,
                only: int | None = None) -> str:
    """The text `slidekit render` prints: each slide, its footer, separators between."""

    chunks: list[str] = []
    indexes = [only - 1] if only is not None else range(len(deck.slides))
    for index in indexes:
        lines = render_slide(deck.slides[index], theme, width)
        lines.append(render_footer(deck, index, width, theme))
        chunks.append(to_ansi(lines, color_system))
    return f"\n{SEPARATOR * width}\n".join(chunks)


@click.command("render")
@click.argument("deck", type=click.Path(dir_okay=True, allow_dash=True))  # `-` = stdin
@click.option("--width", "-w", type=click.IntRange(min=1, max=MAX_WIDTH), default=None,
              help="Columns to render at (default: $COLUMNS, else the terminal's width, else 80).")
@click.option("--slide", "-s", "slide", type=int, default=None, help="Render only slide N (1-based).")
@click.option("--theme", "-t", default=None,
              help="Theme name or path (overrides the deck's `theme:`).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour escape codes: auto = only when stdout is a terminal and NO_COLOR is unset.")
@preprocess_options
def command(deck: str, width: int | None, slide: int | None, theme: str | None, color: str,
            allow_exec: bool, strict: bool, refresh: bool) -> int:
    """Print a deck's slides to stdout, rendered for a terminal (for pipes and CI).

    The output is the same every time at a given --width; slides are separated by
    a line of ═ and each ends with its footer (author, date, paging).
    """
    loaded_deck = open_deck(deck, preprocess=True, allow_exec=allow_exec, strict=strict, refresh=refresh)
    if slide is not None and not 1 <= slide <= len(loaded_deck.slides):
        last = loaded_deck.slides[-1].span.last
        raise SlidekitError(f"--slide {slide} is out of range: the deck has "
                            f"{len(loaded_deck.slides)} slide(s)", deck, last)
    loaded_theme = open_theme(loaded_deck, theme)
    depth = color_system_for(color, os.environ, output.stdout().isatty())
    text = render_deck(loaded_deck, loaded_theme.theme, width or default_width(), depth, slide)
    output.out(text)
    return 0
