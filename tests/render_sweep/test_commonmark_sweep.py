"""Sweep: all 652 CommonMark spec examples as slides, in the terminal and in HTML.

Each example is a deck of its own (its link reference definitions stay with it).
Terminal: every slide renders in every built-in theme within the width. HTML: every
text node of the spec's expected HTML is in the export's text (whitespace-normalised,
entities decoded); raw HTML from the deck is shown as text, so the page holds no tag
slidekit does not write itself; with ``--allow-html`` the text nodes are kept too.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from external_tools import require

from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.errors import DeckError
from slidekit.render.html import HtmlOptions, render_html
from slidekit.render.terminal import render_slide_result, to_ansi
from tests.render_sweep.common import DEPTHS, builtin_themes, check_width

ROOT = Path(__file__).resolve().parents[2]
#: the conformance data next to the checkout (``../shared/conformance``), or the shared copy on this machine
CANDIDATES = (ROOT.parent / "shared" / "conformance" / "commonmark" / "commonmark.json",
              Path("/work/shared/conformance/commonmark/commonmark.json"))
WIDTH = 48
#: every tag slidekit's HTML export writes inside a slide
OWN_TAGS = frozenset({
    "section", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre", "code", "span",
    "em", "strong", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "hr", "br",
    "del", "s", "input", "aside", "footer", "header", "nav", "figure", "figcaption", "sup", "sub",
})
#: tags that separate text (inline tags such as span or em do not)
BLOCK_TAGS = frozenset({
    "section", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre", "table", "thead",
    "tbody", "tr", "th", "td", "blockquote", "hr", "br", "footer", "aside", "header", "nav", "figure",
})
#: elements whose content is not page text (--allow-html still strips them)
RAW_TEXT = frozenset({"script", "style"})
_SECTION = re.compile(r'<section class="sk-slide.*?</section>', re.S)


def examples() -> list[dict[str, object]]:
    spec = next((path for path in CANDIDATES if path.is_file()), None)
    require(spec is not None, "the CommonMark spec examples (../shared/conformance/commonmark/commonmark.json)")
    assert spec is not None
    return json.loads(spec.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.tags: list[str] = []
        self.raw: list[str] = []  # text inside <script>/<style>: code, never shown as text

    def handle_data(self, data: str) -> None:
        (self.raw if self.lasttag in RAW_TEXT and self.cdata_elem else self.nodes).append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in BLOCK_TAGS:
            self.nodes.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.nodes.append(" ")


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


def norm(text: str) -> str:
    return " ".join(text.replace("\ufffd", "\x00").split())


def load(example: dict[str, object]) -> m.Deck | None:
    try:
        return load_deck(str(example["markdown"]), f"example-{example['example']}.md")
    except DeckError:
        return None  # reported as a one-line error (e.g. an unclosed fence), not a crash


def test_the_spec_is_complete() -> None:
    assert len(examples()) == 652


def test_terminal_every_example_every_theme() -> None:
    themes = builtin_themes()
    for example in examples():
        deck = load(example)
        if deck is None:
            continue
        for name, theme in themes.items():
            for slide in deck.slides:
                result = render_slide_result(slide, theme, WIDTH)
                assert not result.fallbacks, f"example {example['example']}: a block fell back: {result.fallbacks}"
                lines = result.lines
                depth = DEPTHS[int(example["example"]) % len(DEPTHS)]  # type: ignore[call-overload]
                check_width(lines, to_ansi(lines, depth, theme.palette), WIDTH,
                            f"example {example['example']} / {name} / {depth}")


@pytest.mark.parametrize("allow_html", [False, True])
def test_html_keeps_every_text_node(allow_html: bool) -> None:
    theme = builtin_themes()["dark"]
    missing: list[str] = []
    for example in examples():
        deck = load(example)
        if deck is None:
            continue
        page = render_html(deck, theme, HtmlOptions(allow_html=allow_html)).html
        slides = "".join(_SECTION.findall(page))
        ours = parse(slides)
        text = norm("".join(ours.nodes))
        if not allow_html:
            stray = set(ours.tags) - OWN_TAGS
            assert not stray, f"example {example['example']}: raw HTML reached the page: {stray}"
        expected = parse(str(example["html"]))
        # escaped raw HTML shows even script/style content as text; --allow-html strips those elements
        for node in expected.nodes + ([] if allow_html else expected.raw):
            wanted = norm(node)
            if wanted and wanted not in text:
                missing.append(f"example {example['example']} ({example['section']}): {wanted!r}")
    assert not missing, f"{len(missing)} text node(s) lost:\n" + "\n".join(missing[:40])
