"""Slides → styled terminal lines, rendered as glamour renders Markdown.

The public API (used by the presenter, ``slidekit render`` and the tests):

* :func:`render_slide` — one slide as a list of one-line rich Texts, each at most
  ``width`` cells wide; pure. :func:`render_slide_result` also says which blocks
  fell back to their plain source (a block renderer that raises never takes the
  slide down: :class:`SlideRender`).
* :func:`render_markdown` — blocks as glamour prints a document (``render --bare``).
* :func:`render_footer` — author, date and paging on one line.
* :func:`to_ansi` — lines → a string with escape codes for a colour depth
  (:mod:`slidekit.render.ansi`: perceptual downgrade, theme-pinned values).
* :func:`detect_color_system` — the colour depth a terminal environment supports.
* :func:`is_utf8_locale` — whether the terminal's locale is UTF-8 (else code rows
  folded in the slide view end in an ASCII continuation mark, :mod:`slidekit.render.codewrap`).

The layout inside a slide is glamour's (:mod:`slidekit.render.glamour`); the
slide keeps its own frame: lines cropped to the width and, with a document
background, padded to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.deck import model as m
from slidekit.render.ansi import to_ansi
from slidekit.render.cells import to_lines
from slidekit.render.codewrap import is_utf8_locale, mark_for
from slidekit.render.footer import render_footer
from slidekit.render.glamour import Fallback, render_document
from slidekit.deck.layout import slide_layout
from slidekit.render.layout import crop, pad
from slidekit.render.slide_layout import column_gap, image_only, layout_lines
from slidekit.render.term_image import TerminalImages, placements
from slidekit.render.style import to_rich
from slidekit.theme.schema import Theme

__all__ = [
    "Fallback",
    "SlideRender",
    "detect_color_system",
    "is_utf8_locale",
    "plain_lines",
    "render_footer",
    "render_markdown",
    "render_slide",
    "render_slide_result",
    "to_ansi",
]



# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class SlideRender:
    """A rendered slide: its lines, and the blocks shown as plain source because
    their renderer raised (empty when everything rendered; sweeps assert that)."""

    lines: list[Text]
    fallbacks: tuple[Fallback, ...] = ()
    #: (row, column, escape sequence) of each image drawn with a graphics protocol (kitty, iTerm2, sixel)
    images: tuple[tuple[int, int, str], ...] = ()


def render_slide_result(slide: m.Slide, theme: Theme, width: int, *, step: int | None = None,
                        height: int | None = None, images: TerminalImages | None = None,
                        utf8: bool = True) -> SlideRender:
    """``slide`` as styled screen lines (no newlines inside, each ≤ ``width`` cells).

    ``step`` is the reveal step for ``<!-- pause -->`` (0 = up to the first
    pause); None shows every block. A code line too long for its row is folded,
    each broken row ending in a continuation mark (ASCII when not ``utf8``).
    ``height`` (the rows the slide body has) lets a title slide centre vertically
    and ``<!-- jump_to_middle -->`` work; without it the layout is laid out from
    the top. With ``images`` (the presenter), a paragraph of only an image is
    drawn as a picture (:mod:`slidekit.render.term_image`).
    """
    width = max(width, 1)
    doc = theme.get("document")
    layout = slide_layout(slide, step)
    pictures = images is not None and any(image_only(b) for b in slide.blocks)
    mark = mark_for(theme, utf8)
    if layout.plain and not pictures:
        result = render_document(slide.visible_blocks(step), theme, width, wrap_mark=mark)
        lines = to_lines(result.cells)
        fallbacks = tuple(result.fallbacks)
    else:
        lines, found = layout_lines(layout, theme, width, height, column_gap(theme), images, mark)
        fallbacks = tuple(found)
    while lines and not lines[-1].plain.strip() and not lines[-1].spans:  # glamour ends with a newline
        lines.pop()
    fill = to_rich(doc) if doc.background_color else None
    framed = [_painted(pad(crop(line, width), width, fill), fill) if fill else crop(line, width) for line in lines]
    return SlideRender(framed, fallbacks, placements(framed))


def _painted(line: Text, fill: RichStyle) -> Text:
    """``line`` over the document's colours: every cell glamour leaves unstyled (margins,
    blank rows) shows the document background, so the slide is filled to its edges."""
    out = Text(style=fill, end="")
    out.append_text(line)
    return out


def render_slide(slide: m.Slide, theme: Theme, width: int, *, step: int | None = None,
                 height: int | None = None, images: TerminalImages | None = None, utf8: bool = True) -> list[Text]:
    """The lines of :func:`render_slide_result` (graphics-protocol images marked in their style meta:
    :func:`slidekit.render.term_image.placements` finds them)."""
    return render_slide_result(slide, theme, width, step=step, height=height, images=images, utf8=utf8).lines


def render_markdown(blocks: tuple[m.Block, ...], theme: Theme, width: int, *, table_wrap: bool = True,
                    inline_table_links: bool = False) -> SlideRender:
    """``blocks`` exactly as glamour renders a document at word wrap ``width``
    (lines are not cropped: glamour's own output may pass the width; code
    colours are xterm-256 colours picked as glamour's highlighter picks them)."""
    result = render_document(blocks, theme, max(width, 1), table_wrap=table_wrap,
                             inline_table_links=inline_table_links, exact=True)
    return SlideRender(to_lines(result.cells), tuple(result.fallbacks))


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
