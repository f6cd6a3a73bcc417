"""``slidekit``: the command-line entry point.

Subcommands live in :mod:`slidekit.commands` (one module each, exposing
``command``); this module only assembles them and turns errors into one line on
stderr plus an exit code: 0 ok, 1 failed (verification), 2 usage or input
error, 3 Docker engine unavailable.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

import click

from slidekit import __version__, output
from slidekit.errors import SlidekitError


def _discover() -> dict[str, str]:
    """Subcommand name → module path, from the modules in slidekit.commands."""
    import slidekit.commands as pkg

    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_") and info.name != "common":
            found[info.name.replace("_", "-")] = f"{pkg.__name__}.{info.name}"
    return found


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

    def resolve_command(self, ctx: click.Context, args: list[str]):  # type: ignore[no-untyped-def]
        if args and args[0] not in _discover() and not args[0].startswith("-"):
            if (args[0] == "-" or os.path.exists(args[0]) or args[0].endswith(".md")) and "present" in _discover():
                args.insert(0, "present")
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
                3 Docker engine unavailable.
    """


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (never raises for user errors)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="slidekit", standalone_mode=False)
    except SlidekitError as exc:
        output.error(str(exc))
        return exc.exit_code
    except click.exceptions.Abort:
        output.err("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        output.err("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: no tracebacks for users
        if os.environ.get("SLIDEKIT_DEBUG"):
            raise
        output.error(f"internal error: {type(exc).__name__}: {exc} (set SLIDEKIT_DEBUG=1 for a traceback)")
        return 70
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
