"""Options several subcommands share (a private module: not a subcommand)."""

from __future__ import annotations

import re
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

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([hms]?)")
_UNIT = {"h": 3600, "m": 60, "s": 1, "": 60}


def parse_duration(text: str) -> float:
    """``20m``, ``1h30m``, ``90s``, ``45`` (minutes) → seconds; ValueError when it is not one."""
    text = text.strip().lower()
    pos, total = 0, 0.0
    while pos < len(text):
        match = _PART.match(text, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"not a duration: {text!r} (use 20m, 1h30m, 90s)")
        total += float(match.group(1)) * _UNIT[match.group(2)]
        pos = match.end()
        while pos < len(text) and text[pos] == " ":
            pos += 1
    if not text or total <= 0:
        raise ValueError(f"not a duration: {text!r} (use 20m, 1h30m, 90s)")
    return total


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def duration_option(func: F) -> F:
    """``--duration 20m``: the talk's length, for the countdown (notes view, footer, HTML speaker window)."""
    return click.option(
        "--duration", callback=_duration, default=None, metavar="DURATION",
        help="The talk's length (20m, 1h30m, 90s): a countdown in the notes view, the footer and the HTML "
             "speaker window; it turns yellow at 5 minutes and red at 0.",
    )(func)
