"""Opening a deck and its theme, as every front end does (the CLI, the presenter, the benchmarks).

The one place that turns a path into a :class:`~slidekit.deck.model.Deck` ready to use: read the file
(``-`` is stdin), parse it (or take the parse from the persistent parsed-deck cache, :mod:`slidekit.deck.cache`),
and, only when the caller shows slides, resolve its ``~~~cmd`` pre-processing
blocks. Every choice is a parameter: nothing is read from a command-line framework's global state.

- ``preprocess=True`` (present, render, export): blocks run for a trusted deck, outputs come from the deck's
  ``.slidekit-cache`` when possible, ``refresh`` re-runs them anyway, and every problem is warned about as
  ``path:line: ...``; with ``strict`` the first problem raises :class:`~slidekit.preprocess.PreprocessError`
  (exit 1).
- ``preprocess=False`` (verify, extract, graph): ``~~~`` blocks are left as they are. Those commands never show
  them, so they never run a command and never warn about one.

Warnings go to stderr through :mod:`slidekit.output` unless ``quiet`` (the presenter's reloads).
"""

from __future__ import annotations

from pathlib import Path

from slidekit import output
from slidekit.deck.cache import load_deck_cached
from slidekit.deck.model import Deck
from slidekit.files import read_deck_text
from slidekit.highlight.store import TokenStore, default_dir, use_store
from slidekit.preprocess import PreprocessError
from slidekit.preprocess import preprocess as run_preprocessing
from slidekit.theme.load import LoadedTheme, load_theme


def open_deck(path: str, *, preprocess: bool, allow_exec: bool = False, strict: bool = False,
              refresh: bool = False, quiet: bool = False) -> Deck:
    """The deck at ``path`` (``-`` = stdin), parsed and, with ``preprocess``, its ~~~cmd blocks resolved.

    ``allow_exec``, ``strict`` and ``refresh`` are the pre-processing choices (``--allow-exec``, ``--strict``,
    ``--refresh``; see :mod:`slidekit.preprocess`) and mean nothing without ``preprocess``."""
    deck = load_deck_cached(read_deck_text(path), path)
    if not quiet:
        for warning in deck.warnings:
            output.warn(warning)
    if not preprocess:
        return deck
    # the deck's slides will be shown: keep highlighted code on disk for the next run
    use_store(TokenStore(default_dir()))
    processed = run_preprocessing(deck, allow_exec=allow_exec, refresh=refresh)
    if not quiet:
        for warning in processed.warnings:
            output.warn(warning)
        for problem in processed.problems:
            output.warn(f"{path}:{problem.line}: {problem.message}")
    if strict and processed.problems:
        first = processed.problems[0]
        more = len(processed.problems) - 1
        suffix = f" (and {more} more pre-processing problem{'s' if more > 1 else ''})" if more else ""
        raise PreprocessError(f"{first.message}{suffix} [--strict]", path, first.line)
    return processed.deck


def deck_dir(deck: Deck) -> Path | None:
    """The folder the deck's relative paths (theme, images) start from; None for stdin."""
    return None if deck.path == "-" else Path(deck.path).resolve().parent


def open_theme(deck: Deck, override: str | None = None, *, quiet: bool = False) -> LoadedTheme:
    """The deck's theme (or ``override``), falling back with a warning."""
    loaded = load_theme(override or deck.meta.theme, deck_dir(deck))
    if not quiet:
        for warning in loaded.warnings:
            output.warn(warning)
    return loaded
