"""Images for the terminal (pure: decoded Pillow images in, escape sequences or styled lines out).

Four ways to draw, picked by :func:`detect_protocol` (or ``--image-protocol``):

* ``kitty`` — the kitty graphics protocol (kitty, WezTerm, Ghostty): PNG data in ``ESC _ G`` chunks;
* ``iterm`` — iTerm2's inline images (iTerm2, WezTerm): ``ESC ] 1337 ; File=…``;
* ``sixel`` — DEC sixel graphics (foot, mlterm, xterm -ti vt340, …), colours quantised to 256;
* ``halfblocks`` — everywhere else: each cell a ``▀`` whose foreground is the upper pixel and background
  the lower one (truecolor; the usual colour downgrade applies).

Images are scaled to fit ``cols`` × ``rows`` cells keeping their aspect ratio (a cell is about twice as
tall as wide). The encoders (and Pillow) are in :mod:`slidekit.render.image_encode`, loaded only when a
slide shows a picture.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from typing import TYPE_CHECKING

from rich.style import Style as RichStyle
from rich.text import Text

if TYPE_CHECKING:
    from PIL import Image

PROTOCOLS = ("kitty", "iterm", "sixel", "halfblocks")


def detect_protocol(env: Mapping[str, str]) -> str:
    """The image protocol the terminal described by ``env`` speaks (``halfblocks`` when none is known)."""
    term = env.get("TERM", "").lower()
    program = env.get("TERM_PROGRAM", "")
    if env.get("KITTY_WINDOW_ID") or "kitty" in term or program.lower() == "ghostty" or "ghostty" in term:
        return "kitty"
    if program in ("iTerm.app", "WezTerm") or env.get("LC_TERMINAL") == "iTerm2":
        return "iterm"
    if "sixel" in term or term.startswith(("foot", "mlterm", "yaft")) or program in ("mlterm", "contour"):
        return "sixel"
    return "halfblocks"


@dataclass(frozen=True)
class Loaded:
    """A decoded image, or why there is none (shown on the slide)."""

    image: Image.Image | None
    problem: str = ""


@dataclass(frozen=True)
class TerminalImages:
    """How the presenter draws images: ``load`` reads one by its Markdown ``src`` (the only I/O, done by
    the presenter), ``protocol`` is one of :data:`PROTOCOLS`."""

    load: Callable[[str], Loaded]
    protocol: str = "halfblocks"


#: the rich Style meta key that marks where a graphics-protocol image goes (its escape sequence)
IMAGE_META = "slidekit_image"


def image_lines(loaded: Loaded, alt: str, src: str, images: TerminalImages, width: int, height: int) -> list[Text]:
    """The rows an image takes on the slide: half blocks; or blank rows whose first carries the protocol's
    escape sequence in its style meta (:data:`IMAGE_META`, drawn over the frame by the presenter); or a
    line saying why it is not shown."""
    margin = 2
    if loaded.image is None:
        return [Text(" " * margin + f"🖼  {alt or src} — {loaded.problem}", style="italic")]
    # boundary: Pillow loads only when a slide shows a picture
    from slidekit.render.image_encode import ENCODERS, fit, half_blocks  # noqa: PLC0415 - boundary, see above

    cols, rows = fit(loaded.image.size, max(width - 2 * margin, 1), max(height, 1))
    if images.protocol not in ENCODERS:
        return [Text(" " * margin) + line for line in half_blocks(loaded.image, cols, rows)]
    sequence = ENCODERS[images.protocol](loaded.image, cols, rows)
    first = Text(" " * margin)
    first.append(" " * cols, RichStyle(meta={IMAGE_META: sequence}))
    return [first] + [Text("") for _ in range(rows - 1)]


#: deletes every kitty image placement on the screen (sent before a frame redraws its images)
KITTY_CLEAR = "\x1b_Ga=d,d=A,q=2\x1b\\"


def placements(lines: list[Text]) -> tuple[tuple[int, int, str], ...]:
    """(row, column, escape sequence) of every graphics-protocol image in ``lines``."""
    out: list[tuple[int, int, str]] = []
    for row, line in enumerate(lines):
        for span in line.spans:
            style = span.style
            if isinstance(style, RichStyle) and style.meta and IMAGE_META in style.meta:
                out.append((row, len(line.plain[: span.start]), str(style.meta[IMAGE_META])))
    return tuple(out)
