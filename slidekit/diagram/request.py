"""Which ``~~~graph-easy`` blocks the native renderer draws: the command is ``graph-easy``
with no argument other than an output format it supports (``--as=boxart|ascii``,
``--as boxart``, ``--boxart``, ``--ascii``, or none, which means ascii)."""

from __future__ import annotations

import shlex

_PROGRAMS = ("graph-easy",)
_NATIVE = ("boxart", "ascii")


def native_format(command: str) -> str | None:
    """``boxart``/``ascii`` when the native renderer can stand in for ``command``, else None."""
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    if not argv or argv[0].rsplit("/", 1)[-1] not in _PROGRAMS:
        return None
    fmt = "ascii"
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--as="):
            fmt = arg[5:]
        elif arg == "--as" and i + 1 < len(args):
            i += 1
            fmt = args[i]
        elif arg in ("--boxart", "--ascii"):
            fmt = arg[2:]
        else:
            return None
        i += 1
    return fmt if fmt in _NATIVE else None
