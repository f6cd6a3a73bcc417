"""Native ~~~graph-easy diagrams in the HTML export: inline SVG, checked in real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from slidekit.diagram import parse
from slidekit.preprocess import preprocess
from tests.diagram.corpus import CORPUS, cases
from tests.external_tools import require

pytestmark = pytest.mark.chromium

EXAMPLE = Path(__file__).resolve().parents[2] / "slides" / "docker-multistage.md"


def _deck(graph: str) -> str:
    return f"# Diagram\n\n```\n~~~graph-easy --as=boxart\n{graph}~~~\n```\n"


def _check_page(page) -> None:  # type: ignore[no-untyped-def]
    info = page.evaluate(
        """() => {
            const svg = document.querySelector('section.sk-current svg.sk-diagram-svg');
            if (!svg) return null;
            const boxes = [...svg.querySelectorAll('g.sk-node')].map(g => {
                const r = g.querySelector('rect').getBoundingClientRect();
                const labels = [...g.querySelectorAll('text')].map(t => {
                    const b = t.getBoundingClientRect();
                    const style = getComputedStyle(t);
                    return {text: t.textContent, w: b.width, h: b.height, left: b.left, right: b.right,
                            top: b.top, bottom: b.bottom, visible: style.visibility === 'visible'
                            && style.display !== 'none' && parseFloat(style.opacity || '1') > 0};
                });
                return {name: g.dataset.node, left: r.left, right: r.right, top: r.top, bottom: r.bottom, labels};
            });
            const fill = getComputedStyle(svg).color;
            return {boxes, fill, width: svg.getBoundingClientRect().width};
        }"""
    )
    assert info is not None, "no inline SVG diagram on the slide"
    assert info["width"] > 0
    boxes = info["boxes"]
    assert boxes
    for box in boxes:
        for label in box["labels"]:
            if not label["text"].strip():
                continue
            assert label["visible"] and label["w"] > 0 and label["h"] > 0, (box["name"], label)
            # the label sits inside its box
            assert box["left"] - 1 <= label["left"] and label["right"] <= box["right"] + 1, (box["name"], label)
            assert box["top"] - 1 <= label["top"] and label["bottom"] <= box["bottom"] + 1, (box["name"], label)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
            overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert not (overlap_x > 0.5 and overlap_y > 0.5), f"boxes {a['name']} and {b['name']} overlap"


def test_example_deck_diagram_is_inline_svg(export, open_page) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text(encoding="utf-8")
    path = export(text, transform=lambda deck: preprocess(deck).deck)
    html = path.read_text(encoding="utf-8")
    assert "<svg" in html and "<script src" not in html
    page = open_page(path, "#1")
    assert page.errors == []
    _check_page(page)
    labels = page.evaluate("[...document.querySelectorAll('svg.sk-diagram-svg g.sk-node text')].map(t => t.textContent)")
    assert {"base", "builder", "image A", "image A1", "image A2", "image B", "image C"} <= set(labels)
    # themed: the diagram takes the slide's text colour, not a fixed black
    colour = page.evaluate("getComputedStyle(document.querySelector('svg.sk-diagram-svg')).color")
    body = page.evaluate("getComputedStyle(document.querySelector('section.sk-current')).color")
    assert colour == body


def test_corpus_sample_svgs_in_chromium(export, open_page) -> None:  # type: ignore[no-untyped-def]
    require(CORPUS.is_dir(), f"the graph-easy corpus at {CORPUS}")
    # every 7th corpus graph (32 graphs, all categories), one slide each
    chosen = [c for i, c in enumerate(cases()) if i % 7 == 0 and parse(c.text()).nodes]
    slides = "\n---\n\n".join(_deck(c.text() if c.text().endswith("\n") else c.text() + "\n") for c in chosen)
    path = export(slides, transform=lambda deck: preprocess(deck).deck)
    page = open_page(path, "#1")
    for n, case in enumerate(chosen, start=1):
        page.evaluate(f"location.hash = '#{n}'")
        page.wait_for_function(f"window.slidekit.state().slide === {n}")
        try:
            _check_page(page)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc
    assert page.errors == []
