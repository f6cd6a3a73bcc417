"""``slidekit render DECK``: print rendered slides to stdout, no interaction."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slidekit import output
from slidekit.commands._options import preprocess_options
from slidekit.errors import SlidekitError
from slidekit.deck.build import build_blocks
from slidekit.deck.layout import slide_layout
from slidekit.files import read_deck_text
from slidekit.limits import MAX_WIDTH
from slidekit.render.terminal import (
    detect_color_system,
    is_utf8_locale,
    render_footer,
    render_markdown,
    render_slide_result,
    to_ansi,
)
from slidekit.session import open_deck, open_theme
from slidekit.theme.load import load_theme

if TYPE_CHECKING:
    from slidekit.deck.model import Deck
    from slidekit.render.glamour import Fallback
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
                only: int | None = None, *, bare: bool = False, utf8: bool = True) -> str:
    """The text `slidekit render` prints: each slide, its footer, separators
    between; ``bare``: only each slide's Markdown as glamour renders it (else long code
    lines fold with a continuation mark, ASCII when not ``utf8``).
    A block that fell back to its source is warned about (``path:line``)."""

    chunks: list[str] = []
    indexes = [only - 1] if only is not None else range(len(deck.slides))
    for index in indexes:
        slide = deck.slides[index]
        if bare:
            result = render_markdown(slide.visible_blocks(None), theme, width)
            _warn_fallbacks(deck.path, result.fallbacks)
            chunks.append(to_ansi(result.lines, color_system))
            continue
        framed = render_slide_result(slide, theme, width, utf8=utf8)
        _warn_fallbacks(deck.path, framed.fallbacks)
        footer = [] if slide_layout(slide).no_footer else [render_footer(deck, index, width, theme)]
        lines = [*framed.lines, *footer]
        chunks.append(to_ansi(lines, color_system, theme.palette))
    return "\n".join(chunks) if bare else f"\n{SEPARATOR * width}\n".join(chunks)


def render_document_text(path: str, theme: Theme, width: int, color_system: str | None, *,
                         table_wrap: bool = True, inline_table_links: bool = False) -> str:
    """``--bare --no-split``: the whole file as one Markdown document, as glamour renders it."""
    text = read_deck_text(path).replace("\r\n", "\n").lstrip("\ufeff")
    blocks, _notes = build_blocks(text, 1)
    result = render_markdown(blocks, theme, width, table_wrap=table_wrap, inline_table_links=inline_table_links)
    _warn_fallbacks(path, result.fallbacks)
    return to_ansi(result.lines, color_system)


def _warn_fallbacks(path: str, fallbacks: Sequence[Fallback]) -> None:
    for fallback in fallbacks:
        output.warn(f"{path}:{fallback.line}: this block could not be rendered ({fallback.error}); "
                    "showing its source")


@click.command("render")
@click.argument("deck", type=click.Path(dir_okay=True, allow_dash=True))  # `-` = stdin
@click.option("--width", "-w", type=click.IntRange(min=1, max=MAX_WIDTH), default=None,
              help="Columns to render at (default: $COLUMNS, else the terminal's width, else 80).")
@click.option("--slide", "-s", "slide", type=int, default=None, help="Render only slide N (1-based).")
@click.option("--theme", "-t", default=None,
              help="Theme name or path (overrides the deck's `theme:`).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour escape codes: auto = only when stdout is a terminal and NO_COLOR is unset.")
@click.option("--bare", is_flag=True,
              help="Only the rendered Markdown, as glamour prints it: no separators, footer or slide frame.")
@click.option("--no-split", is_flag=True,
              help="With --bare: the whole file is one Markdown document (no slides, no front matter), as in glow.")
@click.option("--table-wrap/--no-table-wrap", default=True, show_default=True,
              help="With --bare --no-split: wrap table cells (else truncate them with …).")
@click.option("--inline-table-links", is_flag=True,
              help="With --bare --no-split: keep links inside tables instead of listing them under the table.")
@preprocess_options
def command(deck: str, width: int | None, slide: int | None, theme: str | None, color: str,
            bare: bool, no_split: bool, table_wrap: bool, inline_table_links: bool,
            allow_exec: bool, strict: bool, refresh: bool) -> int:
    """Print a deck's slides to stdout, rendered for a terminal (for pipes and CI).

    The output is the same every time at a given --width; slides are separated by
    a line of ═ and each ends with its footer (author, date, paging). Inside a
    slide, Markdown is laid out as glamour (and so slides) lays it out.
    """
    if no_split and not bare:
        raise click.UsageError("--no-split needs --bare")
    depth = color_system_for(color, os.environ, output.stdout().isatty())
    if no_split:
        deck_folder = None if deck == "-" else Path(deck).resolve().parent
        loaded = load_theme(theme, deck_folder)
        for warning in loaded.warnings:
            output.warn(warning)
        output.out(render_document_text(deck, loaded.theme, width or default_width(), depth,
                                        table_wrap=table_wrap, inline_table_links=inline_table_links))
        return 0
    loaded_deck = open_deck(deck, preprocess=True, allow_exec=allow_exec, strict=strict, refresh=refresh)
    if slide is not None and not 1 <= slide <= len(loaded_deck.slides):
        last = loaded_deck.slides[-1].span.last
        raise SlidekitError(f"--slide {slide} is out of range: the deck has "
                            f"{len(loaded_deck.slides)} slide(s)", deck, last)
    loaded_theme = open_theme(loaded_deck, theme)
    text = render_deck(loaded_deck, loaded_theme.theme, width or default_width(), depth, slide, bare=bare,
                       utf8=is_utf8_locale(os.environ))
    output.out(text)
    return 0
