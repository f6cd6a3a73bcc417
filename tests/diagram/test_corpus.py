"""Byte-for-byte fidelity to the real graph-easy on the 219-graph corpus, per mode, and the
structural checker on every corpus graph."""

from __future__ import annotations

from collections import Counter

import pytest

from slidekit.diagram import layout, parse, render
from slidekit.diagram.render import draw
from tests.diagram.corpus import CORPUS, MODES, cases
from tests.diagram.structure import check
from tests.external_tools import require

GOAL = 0.90
# RATCHET: the byte-exact counts reached so far, above the goal (90 % of 219 = 198). Raise them
# whenever the count grows, never lower them: the test fails below the goal or the ratchet.
RATCHET = {"boxart": 211, "ascii": 211}


@pytest.fixture(scope="module")
def corpus() -> list:
    require(CORPUS.is_dir(), f"the graph-easy corpus at {CORPUS}")
    found = cases()
    assert len(found) == 219, f"expected 219 corpus graphs with references, found {len(found)}"
    return found


@pytest.mark.parametrize("mode", MODES)
def test_corpus_byte_exact_count(corpus: list, mode: str) -> None:
    ok: Counter[str] = Counter()
    total: Counter[str] = Counter()
    failing: list[str] = []
    for case in corpus:
        total[case.category] += 1
        expected = case.expected[mode].read_text(encoding="utf-8")
        if render(case.text(), mode) == expected:
            ok[case.category] += 1
        else:
            failing.append(case.name)
    matched = sum(ok.values())
    per_category = ", ".join(f"{c} {ok[c]}/{total[c]}" for c in sorted(total))
    print(f"\n{mode}: {matched}/{len(corpus)} byte-exact ({per_category}); goal {GOAL:.0%}")
    threshold = max(RATCHET[mode], int(GOAL * len(corpus)))
    assert matched >= threshold, f"{mode}: {matched} < {threshold}; failing: {' '.join(failing)}"


def test_structure_of_every_corpus_drawing(corpus: list) -> None:
    bad = []
    for case in corpus:
        graph = parse(case.text())
        lay = layout(graph)
        assert not lay.unrouted, f"{case.name}: edges not routed: {lay.unrouted}"
        for mode in MODES:
            problems = check(graph, lay, draw(graph, lay, boxart=mode == "boxart"), boxart=mode == "boxart")
            bad += [f"{case.name} ({mode}): {p}" for p in problems]
    assert not bad, "\n".join(bad)


def test_checker_catches_a_broken_drawing() -> None:
    graph = parse("[A] -> [B] -> [C]\n[A] -- lbl --> [C]")
    lay = layout(graph)
    text = draw(graph, lay)
    assert check(graph, lay, text) == []
    assert any("does not connect" in p for p in check(graph, lay, text.replace("──>", "   ", 1)))
    assert any("label 'lbl' missing" in p for p in check(graph, lay, text.replace("lbl", "   ")))
    assert any("label line 'B'" in p for p in check(graph, lay, text.replace(" B ", "   ")))
