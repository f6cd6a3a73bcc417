"""Shared pieces of the subcommands: reading a deck and its theme, with warnings."""

from __future__ import annotations

from pathlib import Path

from slidekit import output
from slidekit.deck.load import load_deck
from slidekit.deck.model import Deck
from slidekit.files import read_deck_text
from slidekit.theme.load import LoadedTheme, load_theme


def open_deck(path: str, *, quiet: bool = False) -> Deck:
    """Read and parse the deck at ``path`` (``-`` = stdin); warnings go to stderr."""
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
