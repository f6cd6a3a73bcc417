"""The real stage graph of an assembled Dockerfile, in graph-easy syntax.

One node per stage and per external base image (or image used by ``COPY
--from``); ``FROM`` edges are solid (``-->``), ``COPY --from`` and ``RUN
--mount=from=`` edges dotted (``..>``). External images get a dashed border.
Pure: :func:`stage_graph` builds the graph, :func:`to_graph_easy` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from slidekit.verify.dockerfile import ParsedDockerfile, Stage, arg_defaults, expand, parse_dockerfile
from slidekit.verify.model import AssembledDockerfile


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # "from" | "copy"


@dataclass(frozen=True)
class StageGraph:
    name: str
    stages: tuple[str, ...]
    externals: tuple[str, ...]
    edges: tuple[Edge, ...]


def _node(parsed: ParsedDockerfile, stage: Stage, ref: str, *, is_from: bool) -> tuple[str, bool]:
    """(node name, is a stage) for a reference made from ``stage``."""
    target = None if (is_from and ref.isdigit()) else parsed.stage_named(ref)
    if target is not None and (target.index < stage.index or not is_from):
        return _label(target), True
    return ref, False


def _label(stage: Stage) -> str:
    return stage.name if stage.name is not None else f"stage {stage.index}"


def _copy_refs(stage: Stage) -> list[str]:
    refs: list[str] = []
    for ins in stage.instructions:
        flag = ins.flag("from") if ins.keyword == "COPY" else None
        if flag is not None and flag.value:
            refs.append(flag.value)
        for mount in (f for f in ins.flags if f.name == "mount" and f.value):
            refs += [p.partition("=")[2] for p in mount.value.split(",") if p.strip().startswith("from=")]  # type: ignore[union-attr]  # f.value checked
    return refs


def stage_graph(dockerfile: AssembledDockerfile) -> StageGraph:
    parsed = parse_dockerfile(dockerfile.text)
    values = arg_defaults(parsed.global_args)
    externals: dict[str, None] = {}
    edges: dict[Edge, None] = {}
    for stage in parsed.stages:
        base, is_stage = _node(parsed, stage, expand(stage.base, values), is_from=True)
        if not is_stage:
            externals[base] = None
        edges[Edge(base, _label(stage), "from")] = None
        for ref in _copy_refs(stage):
            source, is_stage = _node(parsed, stage, expand(ref, values), is_from=False)
            if not is_stage:
                externals[source] = None
            edges[Edge(source, _label(stage), "copy")] = None
    return StageGraph(dockerfile.name, tuple(_label(s) for s in parsed.stages), tuple(externals), tuple(edges))


def _quote(name: str) -> str:
    """A graph-easy node name: the characters with a meaning in its syntax are escaped."""
    out = name
    for ch in "\\[]{}|,;#":
        out = out.replace(ch, "\\" + ch)
    return out


def _body(graph: StageGraph, prefix: str = "") -> list[str]:
    label = (lambda name: f"label: {_quote(name)}; ") if prefix else (lambda name: "")
    lines = [f"[ {_quote(prefix + name)} ] {{ {label(name)}class: external; }}" for name in graph.externals]
    arrows = {"from": "-->", "copy": "..>"}
    lines += [f"[ {_quote(prefix + e.source)} ] {arrows[e.kind]} [ {_quote(prefix + e.target)} ]" for e in graph.edges]
    lines += [f"[ {_quote(prefix + s)} ] {{ label: {_quote(s)}; }}" for s in graph.stages] if prefix else []
    return lines


def to_graph_easy(graphs: tuple[StageGraph, ...]) -> str:
    """graph-easy source; several Dockerfiles become one group each."""
    lines = ["graph { flow: east; }", "node.external { border: dashed; }"]
    if len(graphs) == 1:
        lines += _body(graphs[0])
    else:
        for graph in graphs:
            lines.append(f"( {_quote(graph.name)}")
            lines += ["  " + line for line in _body(graph, prefix=f"{graph.name}/")]
            lines.append(")")
    return "\n".join(lines) + "\n"
