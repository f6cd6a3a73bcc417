"""``slidekit extract``: write the Dockerfile assembled from the deck's code blocks."""

from __future__ import annotations

from pathlib import Path

import click

from slidekit import output
from slidekit.commands.common import open_deck
from slidekit.errors import SlidekitError
from slidekit.files import write_atomic


def refuse_deck_as_output(deck_path: str, target: str | Path, option: str) -> None:
    """An output path that is the deck itself (or a link to it) would destroy the
    user's deck: a usage error (exit 2) instead."""
    if deck_path == "-":
        return
    deck, out = Path(deck_path), Path(target)
    try:
        same = deck.resolve() == out.resolve() or (deck.exists() and out.exists() and deck.samefile(out))
    except OSError:
        same = False
    if same:
        raise SlidekitError(f"{option}: refusing to overwrite the deck (choose another file)", str(target))


@click.command("extract")
@click.argument("deck", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@click.option("--file", "name", metavar="NAME", help="Which Dockerfile (the blocks marked file=NAME); needed when the deck has several.")
def command(deck: str, target: str | None, name: str | None) -> int:
    """Write the Dockerfile assembled from DECK's ```dockerfile blocks.

    Blocks are joined in deck order (one blank line between them); blocks
    marked +no-verify are left out. `docker build -f FILE` of the result builds
    exactly what `slidekit verify` builds.
    """
    from slidekit.verify.assemble import assemble, pick

    loaded = open_deck(deck)
    dockerfile = pick(assemble(loaded), name, loaded.path)
    if target is None:
        output.out(dockerfile.text, end="")
    else:
        refuse_deck_as_output(loaded.path, target, "-o")
        write_atomic(target, dockerfile.text)
    return 0
