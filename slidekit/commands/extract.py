"""``slidekit extract``: the command-line wrapper of :func:`slidekit.export.dockerfile.extract_dockerfile`."""

from __future__ import annotations

import click

from slidekit import output
from slidekit.export.dockerfile import extract_dockerfile
from slidekit.files import refuse_overwriting_deck, write_atomic


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
    if target is not None:
        refuse_overwriting_deck(deck, target, "-o")
    dockerfile = extract_dockerfile(deck, name)
    if target is None:
        output.out(dockerfile.text, end="")
    else:
        write_atomic(target, dockerfile.text)
    return 0
