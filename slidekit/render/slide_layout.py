"""A slide's layout (:mod:`slidekit.deck.layout`) drawn as terminal lines: columns side by side, aligned
blocks, title slides centred both ways, ``jump_to_middle`` (pure; the glamour renderer draws each block)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.text import Text

from slidekit.deck import model as m
from slidekit.deck.layout import Item, Region, SlideLayout
from slidekit.render.cells import to_lines
from slidekit.render.glamour import Fallback, render_document
from slidekit.render.layout import crop, pad
from slidekit.render.term_image import TerminalImages, image_lines
from slidekit.theme.schema import Theme

#: the gap between columns when the theme has no ``slidekit.column_gap``
COLUMN_GAP = 4


def title_theme(theme: Theme) -> Theme:
    """``theme`` with its ``slidekit_title`` fields (slidekit's extension) laid over every heading level: how
    a title slide's headings look. Unchanged without that element."""
    own = {k: v for k, v in vars(theme.get("slidekit_title")).items() if v is not None}
    if not own:
        return theme
    levels = {name: replace(theme.get(name), **own) for name in ("h1", "h2", "h3", "h4", "h5", "h6")}
    return Theme(theme.name, {**theme.elements, **levels})


def column_gap(theme: Theme) -> int:
    """``slidekit_columns.margin`` of the theme (slidekit's extension), else :data:`COLUMN_GAP`."""
    margin = theme.get("slidekit_columns").margin
    return COLUMN_GAP if margin is None else margin


def column_widths(weights: tuple[int, ...], width: int, gap: int) -> list[int]:
    """Cells per column: ``width`` less the gaps, shared out by weight (the last column takes the rest)."""
    gap = min(gap, max((width - len(weights)) // max(len(weights) - 1, 1), 0)) if len(weights) > 1 else 0
    room = max(width - gap * (len(weights) - 1), len(weights))
    total = sum(weights)
    widths = [max(room * w // total, 1) for w in weights]
    widths[-1] = max(room - sum(widths[:-1]), 1)
    return widths


def _trim(lines: list[Text]) -> list[Text]:
    while lines and not lines[-1].plain.strip():
        lines.pop()
    return lines


def _blocks_lines(blocks: tuple[m.Block, ...], draw: _Draw, width: int) -> list[Text]:
    result = render_document(blocks, draw.theme, max(width, 1), wrap_mark=draw.wrap_mark)
    draw.fallbacks.extend(result.fallbacks)
    return [crop(line, width) for line in _trim(to_lines(result.cells))]


def _strip(line: Text) -> Text:
    plain = line.plain
    lead = len(plain) - len(plain.lstrip(" "))
    end = len(plain.rstrip(" "))
    return line[lead:end] if end > lead else Text("")


def _aligned(lines: list[Text], align: str, width: int, per_line: bool) -> list[Text]:
    """Lines moved right for ``center``/``right``: each line on its own (text), or the block as a whole
    (code, tables, lists keep their shape)."""
    if align == "left" or not lines:
        return lines
    if per_line:
        out = []
        for line in lines:
            if not line.plain.strip():
                out.append(Text(""))
                continue
            core = _strip(line)
            free = max(width - cell_len(core.plain), 0)
            out.append(Text(" " * (free // 2 if align == "center" else free)) + core)
        return out
    lead = min((len(x.plain) - len(x.plain.lstrip(" ")) for x in lines if x.plain.strip()), default=0)
    used = max((cell_len(x.plain.rstrip()) - lead for x in lines), default=0)
    free = max(width - used, 0)
    shift = free // 2 if align == "center" else free
    return [Text(" " * shift) + (x[lead:] if len(x.plain) >= lead else Text("")) for x in lines]


@dataclass
class _Draw:
    theme: Theme
    fallbacks: list[Fallback]
    images: TerminalImages | None = None
    height: int | None = None
    wrap_mark: str | None = None  # folded code rows end in it (see render.codewrap)


def image_only(block: m.Block) -> m.Image | None:
    """The image of a paragraph that holds nothing but one image (drawn as a picture in the terminal)."""
    if isinstance(block, m.Paragraph):
        shown = [i for i in block.inlines if not (isinstance(i, m.Text) and not i.text.strip())]
        if len(shown) == 1 and isinstance(shown[0], m.Image):
            return shown[0]
    return None


def _cell_lines(items: tuple[Item, ...], draw: _Draw, width: int, force_center: bool = False) -> list[Text]:
    """One column (or the full width): runs of left-aligned blocks render together as one document;
    aligned blocks one by one."""
    out: list[Text] = []
    run: list[m.Block] = []

    def flush() -> None:
        if run:
            out.extend(_blocks_lines(tuple(run), draw, width))
            run.clear()

    for item in items:
        align = "center" if force_center else item.align
        image = image_only(item.block) if item.block is not None and draw.images is not None else None
        if item.block is None:
            flush()
            out.append(Text(""))
        elif image is not None and draw.images is not None:
            flush()
            rows = max((draw.height or 24) - len(out) - 3, 4)
            out.append(Text(""))
            out.extend(_aligned(image_lines(draw.images.load(image.src), image.alt, image.src, draw.images,
                                            width, rows), align, width, False))
        elif align == "left":
            run.append(item.block)
        else:
            flush()
            lines = _blocks_lines((item.block,), draw, width)
            per_line = isinstance(item.block, (m.Heading, m.Paragraph))
            out.extend(_aligned(lines, align, width, per_line))
    flush()
    return out


def _region_lines(region: Region, draw: _Draw, width: int, gap: int, center: bool) -> list[Text]:
    if not region.weights:
        return _cell_lines(region.cells[0], draw, width, center)
    widths = column_widths(region.weights, width, gap)
    real_gap = (width - sum(widths)) // max(len(widths) - 1, 1) if len(widths) > 1 else 0
    columns = [_cell_lines(cell, draw, w, center) for cell, w in zip(region.cells, widths)]
    height = max((len(c) for c in columns), default=0)
    out: list[Text] = []
    for row in range(height):
        line = Text()
        for i, (column, w) in enumerate(zip(columns, widths)):
            if i:
                line.append(" " * real_gap)
            part = column[row] if row < len(column) else Text("")
            line.append_text(pad(crop(part, w), w, None))
        line.rstrip()
        out.append(line)
    return out


def layout_lines(layout: SlideLayout, theme: Theme, width: int, height: int | None,
                 gap: int = COLUMN_GAP, images: TerminalImages | None = None,
                 wrap_mark: str | None = None) -> tuple[list[Text], list[Fallback]]:
    """The slide body: regions one under the other. With a ``height`` (the presenter's body rows), a title
    slide is centred vertically and a ``jump_to_middle`` region starts half way down."""
    fallbacks: list[Fallback] = []
    draw = _Draw(title_theme(theme) if layout.title else theme, fallbacks, images, height, wrap_mark)
    lines: list[Text] = []
    for region in layout.regions:
        if region.middle and height is not None:
            lines.extend(Text("") for _ in range(max(height // 2 - len(lines), 0)))
        part = _region_lines(region, draw, width, gap, layout.title)
        if region.middle:
            while part and not part[0].plain.strip():
                part.pop(0)
        lines.extend(part)
    if layout.title and height is not None:
        while lines and not lines[0].plain.strip():
            lines.pop(0)
        lines[:0] = [Text("") for _ in range(max((height - len(lines)) // 2, 0))]
    return lines, fallbacks
