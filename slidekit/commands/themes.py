"""``slidekit themes``: list the built-in themes, or check a theme file."""

from __future__ import annotations

from pathlib import Path

import click

from slidekit import output
from slidekit.errors import SlidekitError
from slidekit.theme.load import builtin_dir, builtin_names, read_theme_file
from slidekit.theme.schema import CHROMA_KEYS, ELEMENTS


@click.command("themes")
@click.option("--check", "check", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Validate a glamour JSON theme file instead of listing.")
def command(check: str | None) -> int:
    """List the built-in themes (usable as `theme: NAME` in front matter or --theme NAME).

    A deck's `theme:` is looked up next to the deck, then in the current
    directory, then among these; `.json` may be left out.
    """

    if check is not None:
        return _check(Path(check))
    for name in builtin_names():
        output.out(name)
    output.err(f"({builtin_dir()})")
    return 0


def _check(path: Path) -> int:
    try:
        theme, warnings = read_theme_file(path)
    except ValueError as exc:
        raise SlidekitError(str(exc)) from None
    for warning in warnings:
        output.warn(f"{path}: {warning}")
    missing = [e for e in ELEMENTS if e not in theme.elements]
    chroma = theme.chroma
    output.out(f"{path}: valid glamour theme: {len(ELEMENTS) - len(missing)}/{len(ELEMENTS)} elements, "
               f"{sum(1 for k in CHROMA_KEYS if k in chroma)}/{len(CHROMA_KEYS)} chroma keys")
    if missing:
        output.out(f"  not styled (defaults apply): {', '.join(missing)}")
    return 0
