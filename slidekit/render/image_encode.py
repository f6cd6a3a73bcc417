"""Pillow images → terminal pictures: the kitty, iTerm2 and sixel escape sequences and coloured half
blocks (pure; see :mod:`slidekit.render.term_image`)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

from PIL import Image
from rich.color import Color
from rich.style import Style as RichStyle
from rich.text import Text

#: a terminal cell's height over its width
CELL_ASPECT = 2.0
#: pixels of one cell when a protocol needs pixels (sixel)
CELL_PX = (10, 20)
_CHUNK = 4096


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


ENCODERS: dict[str, Callable[[Image.Image, int, int], str]] = {"kitty": kitty, "iterm": iterm, "sixel": sixel}
