"""``slidekit``: the command-line entry point.

Subcommands live in :mod:`slidekit.commands` (one module each, exposing
``command``); this module only assembles them and turns errors into one line on
stderr plus an exit code (see :mod:`slidekit.errors` and ``slidekit --help``).
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import signal
import sys
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import slidekit.commands as pkg
from slidekit import __version__, output
from slidekit.errors import SlidekitError, Terminated, raise_terminated

if TYPE_CHECKING:
    import click


@functools.cache
def _discover() -> dict[str, str]:
    """Subcommand name → module path, from the modules in slidekit.commands
    (scanned once per process)."""


    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            found[info.name.replace("_", "-")] = f"{pkg.__name__}.{info.name}"
    return found


@lru_cache(maxsize=1)
def _build_cli() -> click.Group:
    """The click group (built on first use: a bare ``slidekit DECK.md`` never needs click)."""
    import click  # noqa: PLC0415 - boundary: only subcommands need click; `slidekit DECK` starts without it

    class SlidekitGroup(click.Group):
        """A group whose commands are loaded on demand; ``slidekit DECK`` means
        ``slidekit present DECK``."""

        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(_discover())

        def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
            module = _discover().get(cmd_name)
            if module is None:
                return None
            command = getattr(importlib.import_module(module), "command", None)
            return command if isinstance(command, click.Command) else None

        def resolve_command(
            self, ctx: click.Context, args: list[str]
        ) -> tuple[str | None, click.Command | None, list[str]]:
            args[:] = with_shorthand(args)  # also when called as `cli` (click's test runner)
            return super().resolve_command(ctx, args)


    @click.group(cls=SlidekitGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "-V", "--version", prog_name="slidekit")
    def cli() -> None:
        """Presentation-as-code for technical talks.

        A deck is a Markdown file in the format of maaslalani/slides: optional YAML
        front matter, `---` lines between slides, ~~~cmd pre-processing blocks.
        `slidekit DECK` is short for `slidekit present DECK`.

        \b
        Exit codes: 0 ok, 1 verification failed, 2 usage or input error,
                    3 Docker engine unavailable, 4 a base image is missing (verify).
        """

    return cli


def __getattr__(name: str) -> Any:
    if name == "cli":  # ``from slidekit.cli import cli`` (click's test runner, entry points)
        return _build_cli()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _bare_present(args: list[str]) -> str | None:
    """The deck of a plain ``slidekit [present] DECK.md`` (an existing file, no
    options), which starts without click; None for everything else."""
    if len(args) == 2 and args[0] == "present":
        deck = args[1]
    elif len(args) == 1 and args[0].endswith(".md"):
        deck = args[0]
    else:
        return None
    if deck.startswith("-") or not os.path.isfile(deck) or os.environ.get("_SLIDEKIT_COMPLETE"):
        return None
    return deck


def _click_error(exc: Exception) -> int | None:
    """The exit code for a click exception (Abort, usage errors); None for others."""
    click = sys.modules.get("click")
    if click is None:
        return None
    if isinstance(exc, click.exceptions.Abort):
        if isinstance(exc.__context__, Terminated):  # click turns KeyboardInterrupt (and so SIGTERM) into Abort
            output.err("terminated")
            return Terminated.exit_code
        output.err("aborted")
        return 130
    if isinstance(exc, click.UsageError) and type(exc).__name__ != "NoArgsIsHelpError":  # one line, as every
        # other error (not click's usage block); a bare `slidekit` still shows the help
        command = exc.ctx.command_path if exc.ctx is not None else "slidekit"
        message = " ".join(exc.format_message().split())
        output.error(f"{message.rstrip('.')} (see `{command} --help`)")
        return exc.exit_code
    if isinstance(exc, click.ClickException):
        exc.show()
        return exc.exit_code
    return None


_GROUP_OPTIONS = frozenset(("-h", "--help", "-V", "--version"))


def _looks_like_deck(arg: str) -> bool:
    return arg == "-" or (not arg.startswith("-") and (arg.endswith(".md") or os.path.isfile(arg)))


def with_shorthand(args: list[str]) -> list[str]:
    """``slidekit [OPTIONS] DECK`` → ``slidekit present [OPTIONS] DECK``: options may
    come before the deck (``slidekit --allow-exec talk.md``)."""
    if not args or args[0] in _GROUP_OPTIONS or args[0] in _discover():
        return args
    if any(_looks_like_deck(arg) for arg in args):
        return ["present", *args]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (never raises for user errors)."""
    args = with_shorthand(list(sys.argv[1:] if argv is None else argv))
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:  # SIGTERM cleans up as Ctrl-C does (R6)
        signal.signal(signal.SIGTERM, raise_terminated)
    try:
        deck = _bare_present(args)
        if deck is not None:
            from slidekit.present.start import present_deck  # noqa: PLC0415 - boundary: the presenter, on its own

            result: object = present_deck(deck)
        else:
            result = _build_cli().main(args=args, prog_name="slidekit", standalone_mode=False)
    except SlidekitError as exc:
        output.error(str(exc))
        return exc.exit_code
    except Terminated:
        output.err("terminated")
        return Terminated.exit_code
    except KeyboardInterrupt:
        output.err("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        code = _click_error(exc)
        if code is not None:
            return code
        if os.environ.get("SLIDEKIT_DEBUG"):
            raise
        output.error(f"internal error: {type(exc).__name__}: {exc} (set SLIDEKIT_DEBUG=1 for a traceback)")
        return 70
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
