"""The deck model: what a Markdown deck *is*, independent of how it is shown.

Source text goes in through :func:`slidekit.deck.load.load_deck`; renderers
(terminal, HTML) and the verifier only ever read these frozen values. Every
slide and block carries a :class:`~slidekit.source.Span` of 1-based lines in the
original file, so any later message can point at ``deck.md:LINE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from slidekit.source import Span

# --------------------------------------------------------------------------- inline


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class CodeSpan:
    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strike:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    title: str = ""


@dataclass(frozen=True)
class SoftBreak:
    pass


@dataclass(frozen=True)
class HardBreak:
    pass


@dataclass(frozen=True)
class HtmlInline:
    raw: str


Inline = Text | CodeSpan | Emph | Strong | Strike | Link | Image | SoftBreak | HardBreak | HtmlInline


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The visible text of inline content, without any markup."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, CodeSpan)):
            out.append(node.text)
        elif isinstance(node, (Emph, Strong, Strike, Link)):
            out.append(plain_text(node.children))
        elif isinstance(node, Image):
            out.append(node.alt)
        elif isinstance(node, (SoftBreak, HardBreak)):
            out.append(" " if isinstance(node, SoftBreak) else "\n")
    return "".join(out)


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    level: int
    inlines: tuple[Inline, ...]
    span: Span


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    span: Span


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]
    span: Span
    #: None for an ordinary item, True/False for a ticked/unticked task item.
    checked: bool | None = None


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    span: Span
    start: int = 1
    tight: bool = True


@dataclass(frozen=True)
class BlockQuote:
    blocks: tuple[Block, ...]
    span: Span


class Align:
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    NONE = ""


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class CodeBlock:
    """A fenced (or indented) code block.

    ``info`` is the whole info string; ``lang`` its first word (lower-cased);
    ``attrs``/``flags`` the parsed rest (see :func:`slidekit.deck.info.parse_info`):
    ```` ```dockerfile file=api +no-verify ```` gives ``attrs={'file': 'api'}``,
    ``flags={'no-verify'}``. ``code_start`` is the 1-based source line of the
    first line of ``code`` (so code line *i*, 0-based, is line ``code_start + i``).
    """

    lang: str
    code: str
    span: Span
    code_start: int
    info: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    fence: str = "```"


@dataclass(frozen=True)
class CommandBlock:
    """A slides-style ``~~~cmd args`` pre-processing block.

    ``body`` is fed to ``command`` on stdin and the command's stdout replaces the
    block. Until :mod:`slidekit.preprocess` has run it, ``output`` is None and
    renderers show the source with ``notice``. ``wrapped`` is True when the block
    sits inside a ```` ``` ```` fence (slides' advice to keep its newlines), in
    which case the fence lines are part of ``span``.
    """

    command: str
    body: str
    span: Span
    body_start: int
    wrapped: bool = False
    output: str | None = None
    notice: str | None = None
    failed: bool = False


@dataclass(frozen=True)
class HtmlBlock:
    raw: str
    span: Span


@dataclass(frozen=True)
class ThematicBreak:
    span: Span


@dataclass(frozen=True)
class Pause:
    """``<!-- pause -->``: blocks after it appear one step later."""

    span: Span


Block = (
    Heading
    | Paragraph
    | ListBlock
    | BlockQuote
    | Table
    | CodeBlock
    | CommandBlock
    | HtmlBlock
    | ThematicBreak
    | Pause
)


# --------------------------------------------------------------------------- slides


@dataclass(frozen=True)
class Note:
    """A speaker note (``<!-- speaker_note: ... -->``); never shown to the audience."""

    text: str
    span: Span


@dataclass(frozen=True)
class Slide:
    """One slide. ``index`` is 0-based; ``number`` is what users see (1-based)."""

    index: int
    span: Span
    blocks: tuple[Block, ...]
    source: str
    notes: tuple[Note, ...] = ()

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def title(self) -> str:
        for block in self.blocks:
            if isinstance(block, Heading):
                return plain_text(block.inlines)
        return ""

    @property
    def steps(self) -> int:
        """How many reveal steps the slide has (1 + the number of pauses)."""
        return 1 + sum(1 for b in self.blocks if isinstance(b, Pause))

    def visible_blocks(self, step: int | None = None) -> tuple[Block, ...]:
        """The blocks shown at reveal ``step`` (0-based); None shows everything."""
        if step is None:
            return tuple(b for b in self.blocks if not isinstance(b, Pause))
        out: list[Block] = []
        seen = 0
        for block in self.blocks:
            if isinstance(block, Pause):
                seen += 1
                if seen > step:
                    break
                continue
            out.append(block)
        return tuple(out)


#: a front matter key's place in the YAML: keys and list indexes from the top (``("checks", "web", 0)``)
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class DeckMeta:
    """Front matter after validation (the raw YAML mapping stays in ``raw``).

    ``theme``/``author``/``date``/``paging`` keep slides' semantics: None means
    "not given, use the default"; an empty string hides the item.
    """

    theme: str | None = None
    author: str | None = None
    date: str | None = None
    paging: str | None = None
    title: str | None = None
    #: slidekit's own keys (context, image_map, checks, timeout, ...), validated.
    options: Mapping[str, object] = field(default_factory=dict)
    raw: Mapping[str, object] = field(default_factory=dict)
    span: Span | None = None
    #: deck line of every front matter key and list item, by YAML path (recorded when parsed)
    key_lines: Mapping[KeyPath, int] = field(default_factory=dict)

    def key_line(self, *path: str | int) -> int | None:
        """The deck line of front matter key ``path`` (nested: ``key_line("checks", "web", 0)``), else of its
        nearest parent key, else the front matter's first line; None for a deck without front matter."""
        for end in range(len(path), 0, -1):
            line = self.key_lines.get(path[:end])
            if line is not None:
                return line
        return None if self.span is None else self.span.first


@dataclass(frozen=True)
class Deck:
    """A whole deck: front matter plus slides, with the path it was read from."""

    path: str
    meta: DeckMeta
    slides: tuple[Slide, ...]
    source: str
    warnings: tuple[str, ...] = ()

    def code_blocks(self) -> list[tuple[Slide, CodeBlock]]:
        """Every code block, nested ones included, in deck order."""
        out: list[tuple[Slide, CodeBlock]] = []
        for slide in self.slides:
            for block in walk(slide.blocks):
                if isinstance(block, CodeBlock):
                    out.append((slide, block))
        return out


def walk(blocks: tuple[Block, ...]) -> list[Block]:
    """All blocks, depth first, including those nested in lists and quotes."""
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, BlockQuote):
            out.extend(walk(block.blocks))
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.extend(walk(item.blocks))
    return out
