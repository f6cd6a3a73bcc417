"""A deck good enough for the first frame, before the whole deck is parsed.

Parsing every slide of a long deck takes most of the start-up time, but the
first frame needs only the front matter, the first slide and the slide count.
:func:`quick_deck` parses just that (with the real :func:`load_deck`, on the
text up to the end of the first slide) and stands in placeholders for the rest;
the presenter swaps in the fully loaded deck right after drawing. Decks with
``~~~`` pre-processing blocks always take the full path.
"""

from __future__ import annotations

from dataclasses import replace

from slidekit.deck.load import load_deck
from slidekit.deck.model import Deck, Slide
from slidekit.deck.split import normalise, split_chunks
from slidekit.errors import SlidekitError
from slidekit.source import Span

#: below this many chunks the full parse is fast anyway
MIN_CHUNKS = 8


def quick_deck(text: str, path: str) -> Deck | None:
    """Slide 1 parsed, later slides as unparsed placeholders; None when not applicable."""
    text = normalise(text)
    if "~~~" in text:
        return None
    explicit = text.startswith("---\n")
    offset = 1 if explicit else 0
    try:
        chunks = split_chunks(text[4:] if explicit else text, path)
    except SlidekitError:
        return None  # the full load reports it properly
    if len(chunks) < MIN_CHUNKS or not chunks[1].text.strip():
        return None
    lines = text.split("\n")
    head = "\n".join(lines[: chunks[1].last_line + offset]) + "\n"
    try:
        first = load_deck(head, path)
    except SlidekitError:
        return None
    rest = chunks[2:]
    if rest and not rest[-1].text.strip():
        rest = rest[:-1]  # a trailing separator, as load_deck drops it
    slides = list(first.slides)
    for chunk in rest:
        span = Span(chunk.first_line + offset, chunk.last_line + offset)
        slides.append(Slide(len(slides), span, (), chunk.text))
    return replace(first, slides=tuple(slides), source=text)
