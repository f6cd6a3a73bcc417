"""The one place slidekit writes user-facing text (tests patch this module)."""

from __future__ import annotations

import sys
from typing import TextIO

from slidekit.sanitize import clean


def stdout() -> TextIO:
    return sys.stdout


def stderr() -> TextIO:
    return sys.stderr


def out(text: str = "", end: str = "\n") -> None:
    stream = stdout()
    stream.write(text + end)
    stream.flush()


def err(text: str, end: str = "\n") -> None:
    stream = stderr()
    stream.write(text + end)
    stream.flush()


def warn(message: str) -> None:
    err(f"warning: {clean(message)}")


def error(message: str) -> None:
    err(f"error: {clean(message)}")
