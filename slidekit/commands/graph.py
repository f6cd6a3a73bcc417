"""``slidekit graph``: the assembled Dockerfile's real stage graph, in graph-easy syntax."""

from __future__ import annotations

import click

from slidekit import output
from slidekit.session import open_deck
from slidekit.verify.assemble import assemble, pick
from slidekit.verify.graph import stage_graph, to_graph_easy


@click.command("graph")
@click.argument("deck", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--file", "name", metavar="NAME", help="Only the Dockerfile NAME (default: all, one group each).")
def command(deck: str, name: str | None) -> int:
    """Print DECK's stage graph in graph-easy syntax.

    One node per stage and per external image; FROM edges are solid (-->),
    COPY --from edges dotted (..>). Pipe it into `graph-easy --as=boxart`, or
    paste it into a ~~~graph-easy block so the talk draws its true graph.
    """

    loaded = open_deck(deck, preprocess=False)
    dockerfiles = assemble(loaded)
    if name is not None:
        dockerfiles = (pick(dockerfiles, name, loaded.path),)
    output.out(to_graph_easy(tuple(stage_graph(d) for d in dockerfiles)), end="")
    return 0
