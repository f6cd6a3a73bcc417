"""Small graphs, each isolating one rule learnt from the real graph-easy (edge styles and
arrows, autosplit edges, ports, placement of predecessors and successors): the native
renderer must draw each exactly like graph-easy, in both text modes."""

from __future__ import annotations

import subprocess

import pytest

from slidekit.diagram import render

STYLES = ("solid", "dotted", "dashed", "dot-dash", "dot-dot-dash", "wave", "bold", "double",
          "double-dash", "bold-dash", "broad", "wide")

GRAPHS = [
    # every edge style, across and down, and bent around (corners and verticals)
    *(f"[A] --> {{ style: {s}; }} [B]" for s in STYLES),
    *(f"graph {{ flow: south; }} [A] --> {{ style: {s}; label: abcdefghi; }} [B]" for s in STYLES),
    *(f"[A] -> [B] -> [C]\n[A] --> {{ style: {s}; start: south; end: south; }} [C]" for s in STYLES),
    # an undirected line starts with its pattern's last character
    *(f"[A] -- {{ style: {s}; label: {lab}; }} [B]" for s in ("dashed", "dot-dash", "dot-dot-dash") for lab in ("a", "abcd")),
    # where two edges cross: the character depends on both styles
    *(f"[ A ] --> {{ style: {h}; }} [ B ] {{ origin: A; offset: 40,0; }}\n"
      f"[ C ] {{ offset: 20,-20; origin: A; }} --> {{ style: {v}; }} [ D ] {{ origin: C; offset: 0,40; }}"
      for h in ("solid", "dashed", "dotted", "dot-dash", "double", "bold", "wave", "double-dash", "bold-dash", "broad")
      for v in ("solid", "dashed", "double", "bold")),
    # every node border style on a tall node
    *(f"[ A\\nA\\nA\\nA\\nA\\nAAAAAAAAAA ] {{ border: {s}; }}" for s in STYLES),
    # a horizontal edge in a tall row runs on its second-to-last line
    "[ A\\nA\\nA\\nA ] -> [ B ]",
    "[A] -> [B\\nB\\nB\\nB\\nB\\nB]",
    # arrow styles
    *(f"[A] -> {{ arrow-style: {a}; }} [B] <-> {{ arrow-style: {a}; }} [C]\n[A] -> {{ arrow-style: {a}; }} [D]\n"
      f"[B] -> {{ arrow-style: {a}; start: north; end: south; }} [C]" for a in ("none", "closed", "filled")),
    # an invisible edge keeps its room (and its label's) but draws nothing; an arrow's own style
    # (..>, ==>) beats the class's
    "[A] -- lab --> { style: invisible; } [B]",
    "graph { flow: south; } [A] -- lab --> { style: invisible; } [B]",
    "edge { style: dashed; }\n[A] .. lab ..> [B] -> [C]",
    "edge.x { style: dashed; }\n[A] .. lab ..> { class: x; } [B] -> { class: x; } [C]",
    # the first part starts at the first root by name
    "[Z] -> [Y] -> [X] -> [W]\n[E] -> [F] -> [G]",
    "[Z] -> [Y] -> [X] -> [W]\n[E] -> [F]\n[C] -> [D] -> [B]\n[A] -> [Q]",
    # predecessors: front first, then back, right, left
    "[A] -> [X] -> [Y]\n[B] -> [X]\n[C] -> [X]",
    # a chain whose head links to nothing placed starts a row below
    "[K] -> [B]\n[O] -> [R] -> [W] -> [B]",
    "[K] -> [B]\n[O] -> [R] -> [B]",
    # autosplit nodes: an edge per field
    "[A|B] -> [C]",
    "[A|B|C] -> [D]",
    "[D] -> [A|B|C]",
    # compass ports
    "[X] -> [A]\n[A] -> { start: south; } [B], [C]",
    "[X] -> [A]\n[A] -> { start: south; } [B], [C], [D]",
    "graph { flow: south; } [X] -> [A] -> { start: front; } [B], [C], [D]",
    # a node only entered by edges does not count its front side when it grows for them
    "[A] -> [C]\n[A] -> [C]\n[B] -> [C]",
    # successors beside the predecessor placed first
    "[proc] -> [bio] -> [comb] -> [cd]\n[comb] -> [poll]\n[proc] -> [poll]",
    "[bio] -> [comb] -> [uw]\n[comb] -> [cd]\n[comb] -> [poll]\n[proc] -> [bio]\n[proc] -> [cd]\n[proc] -> [poll]",
]


@pytest.mark.parametrize("mode", ["boxart", "ascii"])
@pytest.mark.parametrize("text", GRAPHS)
def test_draws_like_graph_easy(graph_easy: str, text: str, mode: str) -> None:
    expected = subprocess.run([graph_easy, f"--as={mode}"], input=text, capture_output=True, text=True,
                              check=True).stdout
    assert render(text, mode) == expected
