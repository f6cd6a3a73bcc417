"""Slide separators: slides' `---` rule, fence-aware; CRLF, BOM, line numbers."""

from __future__ import annotations

import pytest

from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.errors import DeckError


def titles(text: str) -> list[str]:
    return [s.source.strip() for s in load_deck(text, "t.md").slides]


def test_plain_separator_splits() -> None:
    assert titles("a\n---\nb\n---\nc\n") == ["a", "b", "c"]


def test_separator_with_trailing_space_does_not_split() -> None:
    deck = load_deck("a\n--- \nb\n", "t.md")
    assert len(deck.slides) == 1


@pytest.mark.parametrize("fence", ["```", "~~~", "````", "~~~~"])
def test_separator_inside_a_fence_does_not_split(fence: str) -> None:
    text = f"# one\n\n{fence}yaml\nkey: 1\n---\nkey: 2\n{fence}\n---\n# two\n"
    deck = load_deck(text, "t.md")
    assert [s.title for s in deck.slides] == ["one", "two"]
    code = deck.slides[0].blocks[1]
    assert isinstance(code, m.CodeBlock) and "---\n" in code.code and code.code_start == 4


def test_separator_inside_a_cmd_block_does_not_split() -> None:
    deck = load_deck("# one\n\n~~~cat -n\nfirst\n---\nsecond\n~~~\n---\n# two\n", "t.md")
    block = deck.slides[0].blocks[1]
    assert isinstance(block, m.CommandBlock) and block.body == "first\n---\nsecond\n"
    assert len(deck.slides) == 2


def test_crlf_and_bom() -> None:
    deck = load_deck("\ufeff---\r\nauthor: X\r\n---\r\n# one\r\n---\r\n# two\r\n", "t.md")
    assert deck.meta.author == "X"
    assert [s.title for s in deck.slides] == ["one", "two"]
    assert all("\r" not in s.source for s in deck.slides)


def test_slide_spans_are_file_lines() -> None:
    text = "---\ntheme: dark\n---\n# one\n\npara\n---\n# two\n```\ncode\n```\n"
    deck = load_deck(text, "t.md")
    one, two = deck.slides
    assert one.span.first == 4 and one.blocks[0].span.first == one.blocks[0].span.last == 4
    assert one.blocks[1].span.first == 6
    assert two.span.first == 8 and two.blocks[1].span.first == 9
    assert isinstance(two.blocks[1], m.CodeBlock) and two.blocks[1].code_start == 10


def test_trailing_separator_adds_no_empty_slide() -> None:
    assert titles("a\n---\nb\n---\n") == ["a", "b"]


@pytest.mark.parametrize(("text", "line"), [
    ("# one\n\n```python\nprint(1)\n---\n# two\n", 3),
    ("# one\n---\n# two\n~~~cat\nx\n", 4),
])
def test_unclosed_fence_is_an_error_naming_where_it_opened(text: str, line: int) -> None:
    with pytest.raises(DeckError) as info:
        load_deck(text, "t.md")
    assert info.value.line == line and "unclosed" in info.value.message


@pytest.mark.parametrize("text", ["", "  \n\n", "---\ntheme: dark\n---\n", "\n---\n\n"])
def test_empty_deck_is_an_error(text: str) -> None:
    with pytest.raises(DeckError, match="no slides"):
        load_deck(text, "t.md")


def test_pause_and_notes() -> None:
    deck = load_deck("a\n\n<!-- pause -->\n\nb\n\n<!-- speaker_note: say hi -->\n", "t.md")
    slide = deck.slides[0]
    assert slide.steps == 2 and [n.text for n in slide.notes] == ["say hi"]
    assert len(slide.visible_blocks(0)) == 1 and len(slide.visible_blocks(None)) == 2


@pytest.mark.parametrize("text", ["---\n---\n# one\n---\n# two\n", "\n---\n# one\n---\n# two\n",
                                  "---\n\n---\n# one\n---\n# two\n"])
def test_empty_front_matter_is_dropped_not_an_empty_slide(text: str) -> None:
    deck = load_deck(text, "t.md")
    assert [s.title for s in deck.slides] == ["one", "two"]
    assert deck.slides[0].span.first == text.split("\n").index("# one") + 1


def test_speaker_note_inside_a_paragraph_is_a_note_not_lost() -> None:
    deck = load_deck("intro\n\nsay <!-- speaker_note: two\n  lines --> this\n", "t.md")
    slide = deck.slides[0]
    assert [(n.text, n.span.first, n.span.last) for n in slide.notes] == [("two\nlines", 3, 4)]
    assert "speaker_note" not in "".join(getattr(i, "text", "") for b in slide.blocks for i in b.inlines)
