"""A slide's layout from presenterm's comment commands (pure).

``<!-- column_layout: [2, 1] -->`` opens columns sized 2:1, ``<!-- column: N -->`` sends the blocks after it
to column N (0-based), ``<!-- reset_layout -->`` goes back to the full width, ``<!-- alignment: center -->``
(``left``/``right``) aligns what follows, ``<!-- new_line -->`` adds an empty line, ``<!-- jump_to_middle -->``
starts what follows at the middle of the screen. ``<!-- no_footer -->`` hides the footer, ``<!-- theme: NAME -->``
(read by the front ends) draws the slide with another theme. A slide whose only content is one heading, or one
marked ``<!-- title_slide -->``, is a title slide: centred both ways.

Both renderers (terminal and HTML) draw the same :class:`SlideLayout`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slidekit.deck import model as m

#: every comment command slidekit knows (others give a ``path:line`` warning)
KNOWN = frozenset({
    "column_layout", "column", "reset_layout", "jump_to_middle", "alignment", "new_line", "newline",
    "no_footer", "title_slide", "theme", "end_slide",
})
ALIGNMENTS = ("left", "center", "right")
_WEIGHTS = re.compile(r"^\[\s*\d+(?:\s*,\s*\d+)*\s*\]$")
MAX_COLUMNS = 12


@dataclass(frozen=True)
class Item:
    """One block (or an empty line: ``block`` None) with the alignment in force where it stands, and
    the reveal step from which it shows."""

    block: m.Block | None
    align: str = "left"
    step: int = 0


@dataclass(frozen=True)
class Region:
    """Full-width content (``weights`` empty, one cell) or columns (one cell per weight)."""

    weights: tuple[int, ...]
    cells: tuple[tuple[Item, ...], ...]
    middle: bool = False  # starts at the middle of the screen (jump_to_middle)


@dataclass(frozen=True)
class SlideLayout:
    regions: tuple[Region, ...]
    title: bool = False
    no_footer: bool = False
    theme: str | None = None

    @property
    def plain(self) -> bool:
        """True when the slide is drawn as an ordinary top-left Markdown document."""
        return not self.title and all(
            not r.weights and not r.middle and all(i.align == "left" and i.block is not None for i in r.cells[0])
            for r in self.regions
        )


def directive_problem(d: m.Directive) -> str | None:
    """Why a comment command is wrong (unknown, bad value), or None."""
    if d.name not in KNOWN:
        return f"unknown comment command '{d.name}' (ignored)"
    if d.name == "column_layout" and not _WEIGHTS.match(d.value):
        return f"column_layout needs a list of widths such as [2, 1], not {d.value!r}"
    if d.name == "column" and not d.value.isdigit():
        return f"column needs a column number (0, 1, ...), not {d.value!r}"
    if d.name == "alignment" and d.value not in ALIGNMENTS:
        return f"alignment is one of {', '.join(ALIGNMENTS)}, not {d.value!r}"
    return None


def directive_warnings(deck: m.Deck) -> list[str]:
    """``path:line: message`` for every unknown or malformed comment command."""
    out: list[str] = []
    for slide in deck.slides:
        for block in slide.blocks:
            if isinstance(block, m.Directive):
                problem = directive_problem(block)
                if problem:
                    out.append(f"{deck.path}:{block.span.first}: {problem}")
    return out


def is_title_slide(slide: m.Slide) -> bool:
    shown = [b for b in slide.blocks if not isinstance(b, (m.Directive, m.Pause))]
    if any(isinstance(b, m.Directive) and b.name == "title_slide" for b in slide.blocks):
        return True
    return len(shown) == 1 and isinstance(shown[0], m.Heading)


def slide_layout(slide: m.Slide, step: int | None = None) -> SlideLayout:
    """The regions of ``slide`` at reveal ``step`` (None: everything)."""
    regions: list[Region] = []
    weights: tuple[int, ...] = ()
    cells: list[list[Item]] = [[]]
    column = 0
    align = "left"
    middle = False
    no_footer = False
    theme: str | None = None
    shown_step = 0
    staged = slide.staged_blocks(step)

    def close() -> None:
        if any(cells) or middle:
            regions.append(Region(weights, tuple(tuple(c) for c in cells), middle))

    for index, block in enumerate(staged):  # staged_blocks keeps slide.blocks' order, one for one
        if isinstance(block, m.Pause):
            shown_step = slide.step_of(index + 1)
            continue
        if not isinstance(block, m.Directive):
            cells[column].append(Item(block, align, shown_step))
            continue
        if directive_problem(block):
            continue
        name, value = block.name, block.value
        if name == "column_layout":
            close()
            weights = tuple(max(int(w), 1) for w in value.strip("[]").split(","))[:MAX_COLUMNS]
            cells, column, middle = [[] for _ in weights], 0, False
        elif name == "column":
            column = min(int(value), len(cells) - 1)
        elif name == "reset_layout":
            close()
            weights, cells, column, middle = (), [[]], 0, False
        elif name == "jump_to_middle":
            close()
            weights, cells, column, middle = (), [[]], 0, True
        elif name == "alignment":
            align = value
        elif name in ("new_line", "newline"):
            cells[column].append(Item(None, align, shown_step))
        elif name == "no_footer":
            no_footer = True
        elif name == "theme":
            theme = value or None
    close()
    return SlideLayout(tuple(regions), is_title_slide(slide), no_footer, theme)
