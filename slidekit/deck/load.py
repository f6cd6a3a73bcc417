"""Source text → :class:`~slidekit.deck.model.Deck` (pure: no file access here)."""

from __future__ import annotations

from slidekit.deck.build import build_blocks
from slidekit.deck.meta import build_meta, parse_front_matter
from slidekit.deck.model import Deck, DeckMeta, Slide
from slidekit.deck.split import Chunk, normalise, split_chunks
from slidekit.errors import DeckError
from slidekit.source import Span


def load_deck(text: str, path: str = "<stdin>") -> Deck:
    """Parse a deck in slides' format.

    Raises :class:`DeckError` (with ``path:line``) for broken front matter, an
    unclosed fence or a deck with no slides.
    """
    text = normalise(text)
    explicit = text.startswith("---\n") or text == "---"
    if explicit:
        text_body = text[4:]
        chunks = split_chunks(text_body, path)
        chunks = [Chunk(c.lines, c.first_line + 1) for c in chunks]
    else:
        chunks = split_chunks(text, path)
    meta = DeckMeta()
    warnings: list[str] = []
    if len(chunks) > 1:
        front = parse_front_matter(chunks[0], path, explicit=explicit)
        if front is not None:
            meta, warnings = build_meta(front, chunks[0], path)
            chunks = chunks[1:]
        elif not chunks[0].text.strip():
            # empty front matter (`---` twice) or blank lines before the first
            # separator: an empty YAML document, which slides drops as metadata too
            chunks = chunks[1:]
    slides = _slides(chunks)
    if not any(slide.source.strip() for slide in slides):
        raise DeckError("the deck has no slides", path, max(len(text.splitlines()), 1))
    return Deck(path, meta, slides, text, tuple(warnings))


def _slides(chunks: list[Chunk]) -> tuple[Slide, ...]:
    slides: list[Slide] = []
    for chunk in chunks:
        # A trailing separator leaves an empty last chunk; slides drops it too.
        if not chunk.text.strip() and chunk is chunks[-1] and slides:
            continue
        blocks, notes = build_blocks(chunk.text, chunk.first_line)
        span = Span(chunk.first_line, chunk.last_line)
        slides.append(Slide(len(slides), span, blocks, chunk.text, notes))
    return tuple(slides)
