"""Options several subcommands share (a private module: not a subcommand)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def engine_option(func: F) -> F:
    """``--engine NAME|URL``: the Docker Engine of the commands that build (verify, export --verify,
    present's ctrl+e), passed as ``engine``; see :mod:`slidekit.verify.engine`."""
    return click.option(
        "--engine", metavar="NAME|URL", default=None,
        help="Docker engine: a docker context name, or unix://PATH, tcp://HOST:PORT, ssh://[USER@]HOST. "
             "Default as the docker CLI: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, the local socket.",
    )(func)


def preprocess_options(func: F) -> F:
    """The pre-processing flags of the commands that show slides (present, render, export):
    ``--allow-exec``, ``--strict``, ``--refresh``, passed to the command as ``allow_exec``, ``strict`` and
    ``refresh``; see :mod:`slidekit.preprocess` and :func:`slidekit.session.open_deck`."""
    func = click.option(
        "--refresh", is_flag=True,
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
