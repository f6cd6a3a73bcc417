"""Slides → styled terminal lines, honouring a glamour theme.

The public API (used by the presenter and the HTML export):

* :func:`render_slide` — one slide as a list of one-line rich Texts, each at most
  ``width`` cells wide; pure.
* :func:`render_footer` — author, date and paging on one line.
* :func:`to_ansi` — lines → a string with escape codes for a colour depth
  (rich does the truecolor → 256 → 16 downgrade).
* :func:`detect_color_system` — the colour depth a terminal environment supports.

Each block type has one renderer in :data:`_BLOCKS`; :func:`render_block` wraps
its lines in the element's margin, indent and ``block_prefix``/``block_suffix``
the same way for every block, and the element's style cascades to children
(glamour's inheritance, :meth:`Style.inherit`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from functools import lru_cache
from io import StringIO

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.deck.meta import footer_parts
from slidekit.render.code import TAB_SIZE, highlight
from slidekit.render.inline import render_inlines
from slidekit.render.layout import crop, fold, indent, pad, split_lines, width_of, wrap
from slidekit.render.style import clean, clean_text, decorate, merge, to_rich
from slidekit.render.table import render_table
from slidekit.theme.schema import Style, Theme

__all__ = ["render_slide", "render_footer", "to_ansi", "detect_color_system", "render_block", "plain_lines"]

#: (block, theme, the block's effective style, inner width) -> content lines
BlockRenderer = Callable[[m.Block, Theme, Style, int], list[Text]]
COLOR_SYSTEMS = ("truecolor", "256", "standard")
_SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT, "standard": ColorSystem.STANDARD}
_HR_RULE = "─"


# --------------------------------------------------------------------------- public API


def render_slide(slide: m.Slide, theme: Theme, width: int, *, step: int | None = None) -> list[Text]:
    """``slide`` as styled screen lines (no newlines inside, each ≤ ``width`` cells).

    ``step`` is the reveal step for ``<!-- pause -->`` (0 = up to the first
    pause); None shows every block.
    """
    width = max(width, 1)
    doc = theme.get("document")
    blocks = slide.visible_blocks(step)
    lines = _frame(doc, Style(), "document", width,
                   lambda inner: _stack(blocks, theme, doc, inner))
    fill = to_rich(doc) if doc.background_color else None
    return [pad(crop(line, width), width, fill) if fill else crop(line, width) for line in lines]


def render_footer(deck: m.Deck, index: int, width: int, theme: Theme, *, extra: str = "",
                  today: _dt.date | None = None) -> Text:
    """One line: author and date on the left, ``extra`` and paging on the right."""
    width = max(width, 1)
    author, date, paging = footer_parts(deck.meta, index + 1, len(deck.slides), today)
    left = "  ".join(clean(p) for p in (author, date) if p)
    right = "  ".join(clean(p) for p in (extra, paging) if p)
    doc = theme.get("document")
    style = to_rich(doc) + RichStyle(dim=True)
    margin = min(doc.margin or 0, max((width - 1) // 2, 0))
    room = width - 2 * margin
    if right and cell_len(right) > room:
        left, right = "", right
    elif cell_len(left) + cell_len(right) + 1 > room:
        cut = crop(Text(left), max(room - cell_len(right) - 2, 0)).plain
        left = cut + "…" if cut else ""
    gap = max(room - cell_len(left) - cell_len(right), 1 if left and right else 0)
    line = Text(" " * margin + left + " " * gap + right, style=style)
    line = crop(line, width)
    return pad(line, width, to_rich(doc)) if doc.background_color else line


def to_ansi(lines: list[Text], color_system: str | None) -> str:
    """``lines`` joined with newlines, with escape codes for ``color_system``
    ("truecolor", "256", "standard") or none at all (None)."""
    if color_system is not None and color_system not in COLOR_SYSTEMS:
        raise ValueError(f"unknown colour system {color_system!r}")
    widest = max((width_of(line) for line in lines), default=1)
    buffer = StringIO()
    console = Console(file=buffer, force_terminal=True, color_system=color_system,  # type: ignore[arg-type]  # checked against COLOR_SYSTEMS
                      width=max(widest, 1), _environ={}, emoji=False, markup=False,
                      highlight=False, soft_wrap=True, legacy_windows=False)
    for line in lines:
        line = clean_text(line)  # the terminal sink: nothing from the deck escapes as control codes
        if color_system is not None:
            line = _downgraded(line, color_system)
        console.print(line, end="\n", soft_wrap=True, no_wrap=True, overflow="ignore", crop=False)
    return buffer.getvalue()[:-1] if lines else ""


def _downgraded(line: Text, color_system: str) -> Text:
    """``line`` with colours already reduced to ``color_system``.

    rich caches a Style's escape codes on first use whatever the colour system,
    so the same style printed at two depths would reuse the first one's codes;
    reducing the colours first makes the codes depend on the style alone.
    """
    out = Text(line.plain, style=_reduce(_as_style(line.style), color_system), end="")
    for span in line.spans:
        out.stylize(_reduce(_as_style(span.style), color_system), span.start, span.end)
    return out


def _as_style(style: str | RichStyle) -> RichStyle:
    return RichStyle.parse(style) if isinstance(style, str) else style


@lru_cache(maxsize=4096)
def _reduce(style: RichStyle, color_system: str) -> RichStyle:
    system = _SYSTEMS[color_system]
    return RichStyle(
        color=style.color.downgrade(system) if style.color else None,
        bgcolor=style.bgcolor.downgrade(system) if style.bgcolor else None,
        bold=style.bold, dim=style.dim, italic=style.italic, underline=style.underline,
        blink=style.blink, reverse=style.reverse, conceal=style.conceal, strike=style.strike,
        overline=style.overline,
    )


def detect_color_system(env: Mapping[str, str], is_tty: bool) -> str | None:
    """The colour depth to use: None under NO_COLOR, without a terminal or on a
    dumb one (TERM=dumb)."""
    if env.get("NO_COLOR"):
        return None
    if not is_tty or env.get("TERM") == "dumb":
        return None
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    if "256color" in env.get("TERM", ""):
        return "256"
    return "standard"


def plain_lines(lines: list[Text]) -> list[str]:
    """The text of rendered lines without styles or trailing padding (for tests, pipes)."""
    return [line.plain.rstrip() for line in lines]


# --------------------------------------------------------------------------- framing


def render_block(block: m.Block, theme: Theme, parent: Style, width: int) -> list[Text]:
    """One block inside its element's margin/indent/affixes, ≤ ``width`` cells."""
    entry = _BLOCKS.get(type(block))
    if entry is None:
        return []
    element, renderer = entry
    style = _element_style(block, element, theme).inherit(parent)
    return _frame(style, parent, element, width, lambda inner: renderer(block, theme, style, inner))


def _element_style(block: m.Block, element: str, theme: Theme) -> Style:
    if isinstance(block, m.Heading):
        return merge(theme.get("heading"), theme.get(f"h{min(max(block.level, 1), 6)}"))
    return theme.get(element)


def _frame(style: Style, parent: Style, element: str, width: int,
           body: Callable[[int], list[Text]]) -> list[Text]:
    """Margin (both sides), indent tokens and block_prefix/suffix around ``body``."""
    margin = min(style.margin or 0, max((width - 1) // 2, 0))
    count = style.indent if style.indent is not None else (1 if element == "block_quote" else 0)
    token = clean(style.indent_token) if style.indent_token is not None else (
        "│ " if element == "block_quote" else " ")
    indent_text = token * count
    inner = max(width - 2 * margin - cell_len(indent_text), 1)
    lines = body(inner)
    if not lines:
        return []
    lines = _affixes(lines, style, inner)
    # the document's margin is in its own colours; a block's in its parent's
    head = Text(" " * margin, style=to_rich(style if element == "document" else parent))
    head.append(indent_text, style=to_rich(style))
    if not head.plain:
        return [crop(line, width) for line in lines]
    return [crop(line, width) for line in indent(lines, head)]


def _affixes(lines: list[Text], style: Style, width: int) -> list[Text]:
    """glamour's block_prefix/block_suffix: text streams where "\\n" breaks a line
    (a suffix ending in a newline just ends the block's last line)."""
    before, after = style.block_prefix, style.block_suffix
    if not before and not after:
        return lines
    rich_style = to_rich(style)
    text = Text(clean(before or ""), style=rich_style)
    for i, line in enumerate(lines):
        if i:
            text.append("\n")
        text.append_text(line)
    suffix = clean(after or "")
    if suffix.endswith("\n"):
        suffix = suffix[:-1]
    text.append(suffix, style=rich_style)
    return [part for line in split_lines(text) for part in fold(line, width)]


def _stack(blocks: tuple[m.Block, ...], theme: Theme, parent: Style, width: int,
           gap: int = 1) -> list[Text]:
    """Blocks one under the other, ``gap`` blank lines between them."""
    out: list[Text] = []
    for block in blocks:
        lines = render_block(block, theme, parent, width)
        if not lines:
            continue
        if out:
            out.extend(Text() for _ in range(gap))
        out.extend(lines)
    return out


# --------------------------------------------------------------------------- block renderers


def _prose(inlines: tuple[m.Inline, ...], theme: Theme, style: Style, width: int) -> list[Text]:
    text = decorate(render_inlines(inlines, theme, style), style, block_affixes=False)
    return wrap(text, width)


def _heading(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    assert isinstance(block, m.Heading)
    return _prose(block.inlines, theme, style, width)


def _paragraph(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    assert isinstance(block, m.Paragraph)
    return _prose(block.inlines, theme, style, width)


def _quote(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    assert isinstance(block, m.BlockQuote)
    return _stack(block.blocks, theme, style, width)


def _list(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    """Items with bullets / numbers / checkboxes; nested lists start
    ``level_indent`` cells right of their parent's bullet."""
    assert isinstance(block, m.ListBlock)
    level_indent = style.level_indent if style.level_indent is not None else 2
    out: list[Text] = []
    for number, item in enumerate(block.items, start=block.start):
        if out and not block.tight:
            out.append(Text())
        marker = _marker(block, item, number, theme, style)
        out.extend(_item(item, marker, theme, style, width, level_indent, block.tight))
    return out


def _marker(block: m.ListBlock, item: m.ListItem, number: int, theme: Theme, style: Style) -> Text:
    if item.checked is not None:
        task = theme.get("task").inherit(style)
        mark = task.ticked if item.checked else task.unticked
        default = "[✓] " if item.checked else "[ ] "
        return decorate(Text(clean(mark if mark is not None else default), style=to_rich(task)), task,
                        block_affixes=False)
    if block.ordered:
        enum = theme.get("enumeration").inherit(style)
        suffix = enum.block_prefix if enum.block_prefix is not None else ". "
        return decorate(Text(f"{number}{clean(suffix)}", style=to_rich(enum)), enum, block_affixes=False)
    bullet = theme.get("item").inherit(style)
    mark = bullet.block_prefix if bullet.block_prefix is not None else "• "
    return decorate(Text(clean(mark), style=to_rich(bullet)), bullet, block_affixes=False)


def _item(item: m.ListItem, marker: Text, theme: Theme, style: Style, width: int,
          level_indent: int, tight: bool) -> list[Text]:
    marker_width = min(width_of(marker), max(width - 1, 0))
    marker = crop(marker, marker_width)
    blank = to_rich(style)
    out: list[Text] = []
    for i, child in enumerate(item.blocks or (m.Paragraph((), item.span),)):
        nested = isinstance(child, m.ListBlock) and i > 0
        shift = min(level_indent, max(width - 1, 0)) if nested else marker_width
        lines = render_block(child, theme, style, max(width - shift, 1))
        if not lines:
            continue
        if out and not tight:
            out.append(Text())
        first = marker if i == 0 else Text(" " * shift, style=blank)
        out.extend(indent(lines, first, Text(" " * shift, style=blank)))
    return out or [marker]


def _code_block(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    assert isinstance(block, m.CodeBlock)
    base = _code_base(theme, style)
    return _code_box(highlight(block.code, block.lang, theme, base), theme, base, width, wrap_lines=True)


def _command(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    """A ~~~cmd block: its output verbatim (clipped, never re-wrapped or
    highlighted), or, before pre-processing, its source plus the notice."""
    assert isinstance(block, m.CommandBlock)
    base = _code_base(theme, style)
    if block.output is not None:
        raw = block.output.rstrip("\n")
        rows = [Text(clean(line.expandtabs(TAB_SIZE)), style=base) for line in raw.split("\n")] if raw else []
        out = _code_box(rows, theme, base, width, wrap_lines=False)
    else:
        body = block.body if not block.body or block.body.endswith("\n") else block.body + "\n"
        source = f"~~~{block.command}\n{body}~~~"
        out = _code_box(highlight(source, "", theme, base), theme, base, width, wrap_lines=True)
    if block.notice:
        notice_style = to_rich(style) + RichStyle(italic=True, dim=True)
        out.extend(wrap(Text(clean(block.notice), style=notice_style), width))
    return out


def _code_base(theme: Theme, style: Style) -> RichStyle:
    background = (theme.get("code_block").chroma or {}).get("background")
    base = to_rich(style)
    if background is not None and background.background_color:
        base = base + to_rich(Style(background_color=background.background_color))
    text = (theme.get("code_block").chroma or {}).get("text")
    if text is not None and text.color:
        base = base + to_rich(Style(color=text.color))
    return base


def _code_box(rows: list[Text], theme: Theme, base: RichStyle, width: int, *, wrap_lines: bool) -> list[Text]:
    """Code lines folded (or clipped) to the width; with a background colour they
    become a padded rectangle so the background reads as one block."""
    background = (theme.get("code_block").chroma or {}).get("background")
    filled = background is not None and bool(background.background_color) and width > 2
    inner = width - 2 if filled else width
    lines: list[Text] = []
    for row in rows:
        lines.extend(fold(row, inner) if wrap_lines else [crop(row, inner)])
    if not filled:
        return lines
    box = max((width_of(line) for line in lines), default=0)
    out: list[Text] = []
    for line in lines:
        framed = Text(" ", style=base)
        framed.append_text(pad(line, box, base))
        framed.append(" ", style=base)
        out.append(framed)
    return out


def _html_block(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    assert isinstance(block, m.HtmlBlock)
    rich_style = to_rich(style)
    out: list[Text] = []
    for line in clean(block.raw.rstrip("\n").expandtabs(TAB_SIZE)).split("\n"):
        out.extend(fold(Text(line, style=rich_style), width))
    return out


def _hr(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    """A rule across the width; the hr ``format`` wraps it (``{{.text}}`` = the rule)."""
    text = decorate(Text(_HR_RULE * width, style=to_rich(style)), style, block_affixes=False)
    return [crop(line, width) for line in split_lines(text)]


def _table(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    assert isinstance(block, m.Table)
    return render_table(block, theme, style, width)


def _nothing(block: m.Block, theme: Theme, style: Style, width: int) -> list[Text]:
    return []


#: block type -> (theme element, renderer)
_BLOCKS: dict[type, tuple[str, BlockRenderer]] = {
    m.Heading: ("heading", _heading),
    m.Paragraph: ("paragraph", _paragraph),
    m.ListBlock: ("list", _list),
    m.BlockQuote: ("block_quote", _quote),
    m.Table: ("table", _table),
    m.CodeBlock: ("code_block", _code_block),
    m.CommandBlock: ("code_block", _command),
    m.HtmlBlock: ("html_block", _html_block),
    m.ThematicBreak: ("hr", _hr),
    m.Pause: ("paragraph", _nothing),
}
