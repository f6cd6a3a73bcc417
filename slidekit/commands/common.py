"""Shared pieces of the subcommands: reading a deck and its theme, with warnings."""

from __future__ import annotations

from pathlib import Path

from slidekit import output
from slidekit.deck.load import load_deck
from slidekit.deck.model import Deck
from slidekit.files import read_deck_text
from slidekit.theme.load import LoadedTheme, load_theme


def open_deck(path: str, *, quiet: bool = False, allow_exec: bool = False, strict: bool = False) -> Deck:
    """Read and parse the deck at ``path`` (``-`` = stdin); warnings go to stderr.

    ``allow_exec``/``strict`` are the pre-processing flags (:func:`preprocess_options`);
    :mod:`slidekit.preprocess` decides whether ~~~cmd blocks run.
    """
    deck = load_deck(read_deck_text(path), path)
    if not quiet:
        for warning in deck.warnings:
            output.warn(warning)
    return deck


def deck_dir(deck: Deck) -> Path | None:
    return None if deck.path == "-" else Path(deck.path).resolve().parent


def open_theme(deck: Deck, override: str | None = None, *, quiet: bool = False) -> LoadedTheme:
    """The deck's theme (or ``override``), falling back with a warning."""
    loaded = load_theme(override or deck.meta.theme, deck_dir(deck))
    if not quiet:
        for warning in loaded.warnings:
            output.warn(warning)
    return loaded


def preprocess_options(func):  # type: ignore[no-untyped-def]
    """The pre-processing flags every deck-reading command shares
    (``--allow-exec``, ``--strict``); see :mod:`slidekit.preprocess`."""
    import click

    func = click.option(
        "--strict", is_flag=True,
        help="Exit non-zero if a ~~~cmd pre-processing block fails or is not allowed to run.",
    )(func)
    func = click.option(
        "--allow-exec", is_flag=True,
        help="Trust this deck: run its ~~~cmd pre-processing blocks (never for stdin decks).",
    )(func)
    return func
