"""Groups drawn like the real graph-easy, byte for byte, beyond the corpus: frames that follow their
cells (not boxes), labels (align, labelpos, empty, multi-line), borderless and anonymous groups,
border styles, edges into, out of and across groups, nested and repeated groups."""

from __future__ import annotations

import re
import subprocess

import pytest

from slidekit.diagram import layout, parse, render
from slidekit.diagram.render import draw, group_label_lines
from slidekit.diagram.svg import draw_svg

CASES = [
    "( G\n[ A ] -> [ B ]\n[ C ]\n)",  # a frame with a notch
    "( G [ A ] -> [ B ] )\n[ X ] -> [ A ]\n[ B ] -> [ Y ]",
    "( G [ A ] -- label --> [ B ] )",
    "( G [ A ] -> [ B ] ) { align: center; label: Long Group Label Here; }",
    "( G [ A ] -> [ B ] ) { align: right; label: Long Group Label Here; }",
    "( G [ A ] -> [ B ] ) { label: Line1\\nLine2; align: right; }",
    "( G [ A ] -> [ B ] ) { labelpos: bottom; align: right; }",
    "( G [ A ] -> [ B ] ) { border: none; labelpos: bottom; }\n[ C ]",
    "( G [ A ] -> [ B ] ) { border: none; label: ; }",
    "( [ A ] -> [ B ] ) { border: dashed; }",
    "( Outer [ X ] ( Inner [ A ] -> [ B ] ) [ X ] -> [ A ] )",
    "[ X ] -> [ Y ] -> [ Z ]\n( G [ Y ] )",
    "( G [ A ] -> [ B ] )\n[ B ] -> [ C ]\n[ C ] -> [ A ]",
    "( G [ A ] -> [ B ] -> [ C ] -> [ D ] )\n[ A ] -> [ D ]",
    "( G [ A ] -> { flow: south; } [ B ] -> { flow: west; } [ C ] )",
    "( G [ A ] { rows: 2; } -> [ B ] )",
    "graph { flow: south; }\n( G [ A ] -> [ B ] ) { label: Longer label; }\n[ B ] -> [ C ]",
    "( G [ A ] -> [ B ] )\n[ C ] -> { end: north; } [ A ]",
    "( G [ A ] -> [ B ] -> [ C ] )\n[ C ] -> { start: north; end: north; } [ A ]",
    "( G [ A ] ) { label: Longish label; }\n( H [ B ] ) { label: Even longer label here; }\n[ A ] -> [ B ]",
    "( G [ A ] -> [ B ] )\n( G [ C ] )\n[ B ] -> [ C ]",  # named again: the later group replaces it
    "( G1 [ G ] [ E ] ) { align: right; }\n[ F ] -> { start: north; } [ G ]",
    "( G [ A ] [ C ] )\n[ A ] -> [ B ] -> { flow: south; } [ C ]",
    "( G0 [ C ] [ B ] [ H ] [ G ] )\n[ A ] -> [ C ]\n[ A ] -> [ H ]\n[ B ] -> [ A ]\n[ B ] -> [ D ]\n"
    "[ C ] -> [ G ]\n[ H ] -> [ G ]",
    "( Grp [ G ] [ C ] )\n[ C ] -> [ F ]\n[ F ] -> [ C ]\n[ G ] -> [ E ]",  # two parts bridged
    "( Grp [ C ] [ A ] )\n[ A ] -> [ G ]\n[ D ] -> [ A ]\n[ G ] -> [ A ]\n[ G ] -> [ D ]",
] + [f"( G [ A ] -> [ B ]\n[ C ] ) {{ border: {style}; }}"
     for style in ("solid", "double", "dotted", "bold", "wave", "dot-dash", "double-dash")]


@pytest.mark.parametrize("mode", ["boxart", "ascii"])
@pytest.mark.parametrize("text", CASES)
def test_group_drawn_like_graph_easy(graph_easy: str, text: str, mode: str) -> None:
    real = subprocess.run([graph_easy, f"--as={mode}"], input=text, capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert render(text, mode) == real


@pytest.mark.parametrize("attrs", ["", "label: Other;", "label: ;", "label: two\\nlines;", "border: none;"])
def test_svg_group_label_is_the_text_drawings(attrs: str) -> None:
    """The SVG shows a group's label as the boxart does (an explicit empty label: none)."""
    graph = parse(f"( G [ A ] -> [ B ] ) {{ {attrs} }}\n")
    lay = layout(graph)
    svg_lines = re.findall(r'class="sk-group-label"[^>]*>([^<]*)<', draw_svg(graph, lay))
    text = draw(graph, lay)
    assert svg_lines == [line for line, _ in group_label_lines(graph, lay.frames[0].group) if line]
    for line in svg_lines:
        assert line in text
    assert ("G" in svg_lines) == (attrs in ("", "border: none;"))
