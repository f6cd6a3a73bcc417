"""Random graphs never crash the parser, layouter or renderers, and every node is drawn."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slidekit.diagram import layout, parse
from slidekit.diagram.render import draw, node_label
from slidekit.diagram.svg import draw_svg

NAMES = st.text(alphabet="abcdefgXYZ 0123456789", min_size=1, max_size=8).map(str.strip).filter(bool)
OPS = st.sampled_from(["->", "-->", "==>", "..>", "- >", "<->", "--", "~~>", ".->", "-- lbl -->", "== two words ==>"])
ATTRS = st.sampled_from(["", "{ start: front,0; }", "{ start: south; }", "{ end: west, 1; }", "{ flow: south; }",
                         "{ flow: left; }", "{ label: x; }", "{ start: east; end: north; }"])
NODE_ATTRS = st.sampled_from(["", " { border: dotted; }", " { flow: down; }", " { shape: rounded; }"])


@st.composite
def graphs(draw_):  # type: ignore[no-untyped-def]
    names = draw_(st.lists(NAMES, min_size=1, max_size=9, unique=True))
    lines = []
    flow = draw_(st.sampled_from(["", "graph { flow: south; }", "graph { flow: west; }", "graph { flow: up; }"]))
    if flow:
        lines.append(flow)
    for _ in range(draw_(st.integers(0, 14))):
        a = draw_(st.sampled_from(names))
        targets = draw_(st.lists(st.sampled_from(names), min_size=1, max_size=3))
        lines.append(f"[ {a} ]{draw_(NODE_ATTRS)} {draw_(OPS)} {draw_(ATTRS)} " + ", ".join(f"[ {t} ]" for t in targets))
    for n in names:
        lines.append(f"[ {n} ]")
    return "\n".join(lines) + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_lay_out_and_draw_every_node(text: str) -> None:
    graph = parse(text)
    lay = layout(graph)
    assert set(lay.nodes) == set(graph.nodes.values())
    # no two nodes share a cell
    cells = [c for p in lay.nodes.values() for c in p.covers()]
    assert len(cells) == len(set(cells))
    for boxart in (True, False):
        out = draw(graph, lay, boxart=boxart)
        for node in graph.nodes.values():
            for line, _ in node_label(graph, node):
                assert line in out, (node.name, out)
    svg = draw_svg(graph, lay)
    assert svg.count('class="sk-node"') == len(graph.nodes)
