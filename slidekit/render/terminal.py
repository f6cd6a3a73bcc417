"""Slides → styled terminal lines, rendered as glamour renders Markdown.

The public API (used by the presenter, ``slidekit render`` and the tests):

* :func:`render_slide` — one slide as a list of one-line rich Texts, each at most
  ``width`` cells wide; pure. :func:`render_slide_result` also says which blocks
  fell back to their plain source (a block renderer that raises never takes the
  slide down: :class:`SlideRender`).
* :func:`render_markdown` — blocks as glamour prints a document (``render --bare``).
* :func:`render_footer` — author, date and paging on one line.
* :func:`to_ansi` — lines → a string with escape codes for a colour depth
  (rich does the truecolor → 256 → 16 downgrade).
* :func:`detect_color_system` — the colour depth a terminal environment supports.

The layout inside a slide is glamour's (:mod:`slidekit.render.glamour`); the
slide keeps its own frame: lines cropped to the width and, with a document
background, padded to it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from io import StringIO

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.deck.meta import footer_parts
from slidekit.render.cells import to_lines
from slidekit.render.glamour import Fallback, render_document
from slidekit.render.layout import crop, pad, width_of
from slidekit.render.style import clean, clean_text, to_rich
from slidekit.theme.schema import Theme

__all__ = [
    "Fallback",
    "SlideRender",
    "detect_color_system",
    "plain_lines",
    "render_footer",
    "render_markdown",
    "render_slide",
    "render_slide_result",
    "to_ansi",
]

COLOR_SYSTEMS = ("truecolor", "256", "standard")
_SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT, "standard": ColorSystem.STANDARD}


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class SlideRender:
    """A rendered slide: its lines, and the blocks shown as plain source because
    their renderer raised (empty when everything rendered; sweeps assert that)."""

    lines: list[Text]
    fallbacks: tuple[Fallback, ...] = ()


def render_slide_result(slide: m.Slide, theme: Theme, width: int, *, step: int | None = None) -> SlideRender:
    """``slide`` as styled screen lines (no newlines inside, each ≤ ``width`` cells).

    ``step`` is the reveal step for ``<!-- pause -->`` (0 = up to the first
    pause); None shows every block.
    """
    width = max(width, 1)
    doc = theme.get("document")
    result = render_document(slide.visible_blocks(step), theme, width)
    lines = to_lines(result.cells)
    while lines and not lines[-1].plain.strip() and not lines[-1].spans:  # glamour ends with a newline
        lines.pop()
    fill = to_rich(doc) if doc.background_color else None
    framed = [pad(crop(line, width), width, fill) if fill else crop(line, width) for line in lines]
    return SlideRender(framed, tuple(result.fallbacks))


def render_slide(slide: m.Slide, theme: Theme, width: int, *, step: int | None = None) -> list[Text]:
    """The lines of :func:`render_slide_result`."""
    return render_slide_result(slide, theme, width, step=step).lines


def render_markdown(blocks: tuple[m.Block, ...], theme: Theme, width: int, *, table_wrap: bool = True,
                    inline_table_links: bool = False) -> SlideRender:
    """``blocks`` exactly as glamour renders a document at word wrap ``width``
    (lines are not cropped: glamour's own output may pass the width; code
    colours are xterm-256 colours picked as glamour's highlighter picks them)."""
    result = render_document(blocks, theme, max(width, 1), table_wrap=table_wrap,
                             inline_table_links=inline_table_links, exact=True)
    return SlideRender(to_lines(result.cells), tuple(result.fallbacks))


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
        left = ""
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
