"""``slidekit extract``: write the Dockerfile assembled from the deck's code blocks."""

from __future__ import annotations

import click

from slidekit import output
from slidekit.commands.common import open_deck
from slidekit.files import write_atomic


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
        write_atomic(target, dockerfile.text)
    return 0
