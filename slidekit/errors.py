"""Errors the user can act on, each tied to ``path:line``.

The CLI turns a :class:`SlidekitError` into one line on stderr and its exit code;
nothing below the CLI prints or exits.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # verification failed, or a --strict pre-processing failure
EXIT_USAGE = 2  # usage or input error
EXIT_DOCKER_UNAVAILABLE = 3
#: ``slidekit verify``: nothing on the slides failed, but a base image is neither local
#: nor pullable (a machine problem, like 3: fix with --image-map or by loading the image).
EXIT_BASE_MISSING = 4


class SlidekitError(Exception):
    """A problem with the user's input, reported as ``path:line: message``."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: {self.message}" if loc else self.message


class DeckError(SlidekitError):
    """The deck file cannot be read or parsed."""


class ThemeError(SlidekitError):
    """A theme file is missing or invalid (callers usually downgrade this to a warning)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwinds like Ctrl-C (every cleanup that removes containers and
    temporary images runs), then slidekit exits 143."""

    exit_code = 143


def raise_terminated(signum: int, _frame: object) -> None:
    """A SIGTERM handler: see :class:`Terminated`."""
    raise Terminated()
