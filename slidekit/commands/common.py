"""Shared pieces of the subcommands: reading a deck and its theme, with warnings."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from slidekit import output
from slidekit.files import read_deck_text

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # the parser and theme loader are imported when used (fast `--help`)
    from slidekit.deck.model import Deck
    from slidekit.theme.load import LoadedTheme


def open_deck(path: str, *, quiet: bool = False, allow_exec: bool = False, strict: bool = False,
              refresh: bool | None = None, preprocess: bool = True) -> Deck:
    """Read and parse the deck at ``path`` (``-`` = stdin) and resolve its ~~~cmd
    pre-processing blocks; warnings go to stderr.

    ``allow_exec``/``strict`` are the pre-processing flags (:func:`preprocess_options`):
    blocks run only for a trusted deck (see :mod:`slidekit.preprocess.trust`), outputs
    come from the deck's ``.slidekit-cache`` when possible, and every failure is
    warned about as ``path:line: ...``. With ``strict`` any failed, not-run or
    stderr-writing block raises :class:`~slidekit.preprocess.PreprocessError` (exit 1).
    ``refresh`` (default: the ``--refresh`` flag) re-runs blocks despite the cache.
    ``preprocess=False`` leaves ~~~cmd blocks unresolved (for commands that never show them).
    """
    from slidekit.deck.load import load_deck

    deck = load_deck(read_deck_text(path), path)
    if not quiet:
        for warning in deck.warnings:
            output.warn(warning)
    if not preprocess:
        return deck
    from slidekit.preprocess import PreprocessError
    from slidekit.preprocess import preprocess as run_preprocessing

    processed = run_preprocessing(deck, allow_exec=allow_exec, refresh=_refresh_requested() if refresh is None else refresh)
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


_REFRESH_KEY = "slidekit.preprocess.refresh"


def _refresh_requested() -> bool:
    """Was ``--refresh`` given to the running click command?"""
    click = sys.modules.get("click")
    if click is None:  # not started through click (a bare `slidekit DECK.md`): no flags
        return False
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().meta.get(_REFRESH_KEY))


def deck_dir(deck: Deck) -> Path | None:
    return None if deck.path == "-" else Path(deck.path).resolve().parent


def open_theme(deck: Deck, override: str | None = None, *, quiet: bool = False) -> LoadedTheme:
    """The deck's theme (or ``override``), falling back with a warning."""
    from slidekit.theme.load import load_theme

    loaded = load_theme(override or deck.meta.theme, deck_dir(deck))
    if not quiet:
        for warning in loaded.warnings:
            output.warn(warning)
    return loaded


def engine_option(func: F) -> F:
    """``--engine NAME|URL``: the Docker Engine for the commands that build (see :mod:`slidekit.verify.engine`)."""
    import click

    return click.option(
        "--engine", metavar="NAME|URL", default=None,
        help="Docker engine: a docker context name, or unix://PATH, tcp://HOST:PORT, ssh://[USER@]HOST. "
             "Default as the docker CLI: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, the local socket.",
    )(func)


def preprocess_options(func: F) -> F:
    """The pre-processing flags every deck-reading command shares
    (``--allow-exec``, ``--strict``, ``--refresh``); see :mod:`slidekit.preprocess`.
    ``--refresh`` is not passed to the command: :func:`open_deck` reads it."""
    import click

    def remember_refresh(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.find_root().meta[_REFRESH_KEY] = True
        return value

    func = click.option(
        "--refresh", is_flag=True, expose_value=False, callback=remember_refresh,
        help="Re-run trusted ~~~cmd blocks even when .slidekit-cache has their output.",
    )(func)
    func = click.option(
        "--strict", is_flag=True,
        help="Exit 1 if a ~~~cmd pre-processing block fails, writes to stderr or is not allowed to run.",
    )(func)
    func = click.option(
        "--allow-exec", is_flag=True,
        help="Trust this deck: run its ~~~cmd pre-processing blocks (never for stdin decks).",
    )(func)
    return func
