"""Source text → :class:`~slidekit.deck.model.Deck` (pure: no file access here)."""

from __future__ import annotations

from dataclasses import replace

from slidekit.deck.build import build_blocks
from slidekit.deck.layout import directive_warnings
from slidekit.deck.meta import build_meta, parse_front_matter
from slidekit.deck.model import Deck, DeckMeta, Directive, Slide
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
    slides, marked = _mark_title_slides(slides, meta, path)
    deck = Deck(path, meta, slides, text, tuple(warnings + marked))
    extra = directive_warnings(deck)
    return Deck(path, meta, slides, text, tuple(warnings + extra)) if extra else deck


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


def _mark_title_slides(slides: tuple[Slide, ...], meta: DeckMeta, path: str) -> tuple[tuple[Slide, ...], list[str]]:
    """Front matter ``title_slides: [1, 5]``: those slides get a ``title_slide`` directive (at the key's
    line), as if they said ``<!-- title_slide -->``; a number that is no slide is warned about."""
    numbers = meta.options.get("title_slides")
    if not isinstance(numbers, list) or not numbers:
        return slides, []
    line = meta.key_line("title_slides") or 1
    warnings: list[str] = []
    wanted: set[int] = set()
    for number in numbers:
        if isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= len(slides):
            wanted.add(number)
        else:
            warnings.append(f"{path}:{line}: title_slides: {number!r} is not a slide number (1 to {len(slides)})")
    marked = tuple(
        replace(slide, blocks=(Directive("title_slide", "", Span(line, line)), *slide.blocks))
        if slide.number in wanted else slide for slide in slides)
    return marked, warnings
