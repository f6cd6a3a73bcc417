"""Images for the terminal (pure: decoded Pillow images in, escape sequences or styled lines out).

Four ways to draw, picked by :func:`detect_protocol` (or ``--image-protocol``):

* ``kitty`` — the kitty graphics protocol (kitty, WezTerm, Ghostty): PNG data in ``ESC _ G`` chunks;
* ``iterm`` — iTerm2's inline images (iTerm2, WezTerm): ``ESC ] 1337 ; File=…``;
* ``sixel`` — DEC sixel graphics (foot, mlterm, xterm -ti vt340, …), colours quantised to 256;
* ``halfblocks`` — everywhere else: each cell a ``▀`` whose foreground is the upper pixel and background
  the lower one (truecolor; the usual colour downgrade applies).

Images are scaled to fit ``cols`` × ``rows`` cells keeping their aspect ratio (a cell is about twice as
tall as wide).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PIL import Image
from rich.color import Color
from rich.style import Style as RichStyle
from rich.text import Text

PROTOCOLS = ("kitty", "iterm", "sixel", "halfblocks")
#: a terminal cell's height over its width
CELL_ASPECT = 2.0
#: pixels of one cell when a protocol needs pixels (sixel)
CELL_PX = (10, 20)
_CHUNK = 4096


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


def fit(size: tuple[int, int], cols: int, rows: int) -> tuple[int, int]:
    """The cells (cols, rows) an image of pixel ``size`` takes, as large as fits, aspect kept."""
    width, height = max(size[0], 1), max(size[1], 1)
    cols, rows = max(cols, 1), max(rows, 1)
    scale = min(cols / width, rows * CELL_ASPECT / height)
    return max(1, min(cols, round(width * scale))), max(1, min(rows, round(height * scale / CELL_ASPECT)))


def _rgb(image: Image.Image, background: tuple[int, int, int] = (0, 0, 0)) -> Image.Image:
    """``image`` as RGB, transparent parts over ``background``."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, background)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def half_blocks(image: Image.Image, cols: int, rows: int) -> list[Text]:
    """``image`` in ``cols`` × ``rows`` cells of ``▀`` (two pixels a cell)."""
    small = _rgb(image).resize((cols, rows * 2), Image.Resampling.LANCZOS)
    pixels = small.load()
    assert pixels is not None
    lines: list[Text] = []
    for row in range(rows):
        line = Text()
        for col in range(cols):
            top = pixels[col, row * 2]
            bottom = pixels[col, row * 2 + 1]
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            line.append("▀", RichStyle(color=Color.from_rgb(*top[:3]), bgcolor=Color.from_rgb(*bottom[:3])))
        lines.append(line)
    return lines


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def kitty(image: Image.Image, cols: int, rows: int) -> str:
    """The kitty graphics protocol: transmit and display PNG data in ``cols`` × ``rows`` cells, quietly
    (``q=2``), without moving the cursor (``C=1``)."""
    data = base64.b64encode(_png(image)).decode("ascii")
    chunks = [data[i:i + _CHUNK] for i in range(0, len(data), _CHUNK)] or [""]
    out: list[str] = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        head = f"a=T,f=100,c={cols},r={rows},C=1,q=2,m={more}" if index == 0 else f"m={more}"
        out.append(f"\x1b_G{head};{chunk}\x1b\\")
    return "".join(out)


#: deletes every kitty image placement on the screen (sent before a frame redraws its images)
KITTY_CLEAR = "\x1b_Ga=d,d=A,q=2\x1b\\"


def iterm(image: Image.Image, cols: int, rows: int) -> str:
    """iTerm2's inline image: PNG data shown in ``cols`` × ``rows`` cells."""
    data = _png(image)
    payload = base64.b64encode(data).decode("ascii")
    return (f"\x1b]1337;File=inline=1;size={len(data)};width={cols};height={rows};"
            f"preserveAspectRatio=1;doNotMoveCursor=1:{payload}\x07")


def sixel(image: Image.Image, cols: int, rows: int) -> str:
    """DEC sixel graphics of ``image`` scaled to ``cols`` × ``rows`` cells of :data:`CELL_PX` pixels."""
    width, height = cols * CELL_PX[0], rows * CELL_PX[1]
    small = _rgb(image).resize((width, height), Image.Resampling.LANCZOS)
    indexed = small.quantize(colors=256)
    palette = indexed.getpalette() or []
    pixels = indexed.load()
    assert pixels is not None
    used = sorted({int(index) for _, index in indexed.getcolors(256) or []})  # type: ignore[arg-type]  # P mode: ints
    out = [f'\x1bPq"1;1;{width};{height}']
    for index in used:
        r, g, b = palette[index * 3: index * 3 + 3]
        out.append(f"#{index};2;{r * 100 // 255};{g * 100 // 255};{b * 100 // 255}")
    for band in range(0, height, 6):
        bits: dict[int, list[int]] = {}
        for dy in range(min(6, height - band)):
            for x in range(width):
                index = int(pixels[x, band + dy])  # type: ignore[arg-type]  # a P-mode pixel is an int
                column = bits.get(index)
                if column is None:
                    column = bits[index] = [0] * width
                column[x] |= 1 << dy
        out.append("$".join(f"#{index}" + _rle("".join(chr(63 + b) for b in column))
                            for index, column in sorted(bits.items())) + "-")
    out.append("\x1b\\")
    return "".join(out)


def _rle(codes: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j < len(codes) and codes[j] == codes[i]:
            j += 1
        run = j - i
        out.append(f"!{run}{codes[i]}" if run > 3 else codes[i] * run)
        i = j
    return "".join(out)


ENCODERS = {"kitty": kitty, "iterm": iterm, "sixel": sixel}


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
    cols, rows = fit(loaded.image.size, max(width - 2 * margin, 1), max(height, 1))
    if images.protocol not in ENCODERS:
        return [Text(" " * margin) + line for line in half_blocks(loaded.image, cols, rows)]
    sequence = ENCODERS[images.protocol](loaded.image, cols, rows)
    first = Text(" " * margin)
    first.append(" " * cols, RichStyle(meta={IMAGE_META: sequence}))
    return [first] + [Text("") for _ in range(rows - 1)]


def placements(lines: list[Text]) -> tuple[tuple[int, int, str], ...]:
    """(row, column, escape sequence) of every graphics-protocol image in ``lines``."""
    out: list[tuple[int, int, str]] = []
    for row, line in enumerate(lines):
        for span in line.spans:
            style = span.style
            if isinstance(style, RichStyle) and style.meta and IMAGE_META in style.meta:
                out.append((row, len(line.plain[: span.start]), str(style.meta[IMAGE_META])))
    return tuple(out)
