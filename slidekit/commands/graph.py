"""``slidekit graph``: the assembled Dockerfile's real stage graph, in graph-easy syntax or drawn."""

from __future__ import annotations

import click

from slidekit import output
from slidekit.diagram import render
from slidekit.session import open_deck
from slidekit.verify.assemble import assemble, pick
from slidekit.verify.graph import stage_graph, to_graph_easy


@click.command("graph")
@click.argument("deck", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--file", "name", metavar="NAME", help="Only the Dockerfile NAME (default: all, one group each).")
@click.option("--as", "fmt", type=click.Choice(["graph-easy", "boxart", "ascii", "svg"]), default="graph-easy",
              show_default=True, help="Output: graph-easy syntax, or the graph drawn (no external program).")
def command(deck: str, name: str | None, fmt: str) -> int:
    """Print DECK's stage graph in graph-easy syntax.

    One node per stage and per external image; FROM edges are solid (-->),
    COPY --from edges dotted (..>). Pipe it into `graph-easy --as=boxart`, or
    paste it into a ~~~graph-easy block so the talk draws its true graph.
    `--as boxart|ascii|svg` draws it with slidekit's own Graph::Easy instead.
    """

    loaded = open_deck(deck, preprocess=False)
    dockerfiles = assemble(loaded)
    if name is not None:
        dockerfiles = (pick(dockerfiles, name, loaded.path),)
    text = to_graph_easy(tuple(stage_graph(d) for d in dockerfiles))
    if fmt != "graph-easy":
        text = render(text, fmt)
        text = text if text.endswith("\n") else text + "\n"
    output.out(text, end="")
    return 0
