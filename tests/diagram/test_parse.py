"""The Graph::Easy parser: what it builds, and errors located at line:col."""

from __future__ import annotations

import pytest

from slidekit.diagram import DiagramError, parse


def test_nodes_edges_styles_labels_lists_and_classes() -> None:
    g = parse(
        "graph { flow: south; }\n"
        "node.red { border: double; }\n"
        "[ A ] { class: red; } == 100 times ==> [ B\\n two ], [ C ]\n"
        "  ..> [ D ]   # a comment\n"
        "[ D ] <-> [ E ] -- [ F ]\n"
        "[ E ] .- bike .-> { end: west; } [ F ]\n"
    )
    assert list(g.nodes) == ["A", "B\\n two", "C", "D", "E", "F"]
    assert g.graph_attr("flow") == "south"
    assert g.node_attr(g.nodes["A"], "border") == "double"
    kinds = [(e.source.name, e.target.name, e.style, e.directed, e.bidirectional, e.label) for e in g.edges]
    assert kinds == [
        ("A", "B\\n two", "double", True, False, "100 times"),
        ("A", "C", "double", True, False, "100 times"),
        ("B\\n two", "D", "dotted", True, False, ""),
        ("C", "D", "dotted", True, False, ""),
        ("D", "E", "solid", True, True, ""),
        ("E", "F", "solid", False, False, ""),
        ("E", "F", "dot-dash", True, False, "bike"),
    ]
    assert g.edges[-1].attrs == {"end": "west"}


@pytest.mark.parametrize(
    "op, style",
    [("->", "solid"), ("-->", "solid"), ("==>", "double"), ("..>", "dotted"), ("- >", "dashed"),
     ("= >", "double-dash"), (".->", "dot-dash"), ("..->", "dot-dot-dash"), ("~~>", "wave")],
)
def test_edge_styles(op: str, style: str) -> None:
    assert parse(f"[A] {op} [B]").edges[0].style == style


def test_groups_and_anonymous_nodes() -> None:
    g = parse("( Cluster:\n  [ A ] -> [ B ]\n) { border: none; }\n[ ] -> [ A ]")
    assert [n.name for n in g.groups[0].nodes] == ["A", "B"]
    assert g.groups[0].attrs == {"border": "none"}
    assert any(n.anonymous for n in g.nodes.values())


@pytest.mark.parametrize(
    "text, line, col, words",
    [
        ("[ A ] -> [ B ]\n[ C ] -> [ D", 2, 10, "unclosed node"),
        ("[ A ]\n  [ B ] { color red }", 2, 11, "bad attribute"),
        ("[ A ] -> [ B ]\n\n   -> { color: red; } ,", 3, 23, "expected a node"),
        ("[ A ] -/- [ B ]", 1, 7, "cannot parse edge"),
        ("-> [ B ]", 1, 1, "edge without a node"),
        ("[ A ]\n( G: [ B ]", 2, 1, "unclosed group"),
        ("[ A ] )", 1, 7, "')' without an open group"),
        ("[ A ] { label: x", 1, 7, "unclosed attribute block"),
        ("[ A ] ; [ B ]", 1, 7, "unexpected ';'"),
    ],
)
def test_parse_errors_carry_line_and_column(text: str, line: int, col: int, words: str) -> None:
    with pytest.raises(DiagramError) as info:
        parse(text)
    assert (info.value.line, info.value.col) == (line, col), str(info.value)
    assert words in info.value.message
    assert str(info.value).startswith(f"{line}:{col}: ")
