"""Colour depth reduction: truecolor → xterm 256 / 16 colours by perceptual distance.

A theme may pin the reduction (slidekit's extension to glamour's schema, see
:func:`parse_palette`): ``"palette": {"#002b36": {"256": 234, "16": 0}}``. Without a
pinned value, a colour takes the xterm colour nearest to it in CIELAB (ΔE*ab, CIE76),
not in RGB: RGB distance sends Solarized's base03 ``#002b36`` to navy ``#00005f``,
CIELAB to the dark grey 234 that Solarized itself publishes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

RGB = tuple[int, int, int]
#: depth name → the colour count a pinned value is given for
DEPTH_KEYS = {"256": "256", "standard": "16"}

#: xterm's default 16 colours
ANSI16: tuple[RGB, ...] = (
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
    (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
    (255, 0, 255), (0, 255, 255), (255, 255, 255),
)
_LEVELS = (0, 95, 135, 175, 215, 255)


def xterm_rgb(index: int) -> RGB:
    """The RGB value of xterm colour ``index`` (0-255)."""
    if index < 16:
        return ANSI16[index]
    if index < 232:
        n = index - 16
        return _LEVELS[n // 36], _LEVELS[n // 6 % 6], _LEVELS[n % 6]
    grey = 8 + 10 * (index - 232)
    return grey, grey, grey


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


@lru_cache(maxsize=4096)
def to_lab(rgb: RGB) -> tuple[float, float, float]:
    """sRGB → CIELAB (D65 white)."""
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: RGB, b: RGB) -> float:
    """CIE76 colour difference (Euclidean distance in CIELAB)."""
    la, lb = to_lab(a), to_lab(b)
    return sum((p - q) ** 2 for p, q in zip(la, lb)) ** 0.5


#: the colours a reduction may pick: 256 colours use the cube and greys (16-255; the first 16
#: differ between terminals), 16 colours the system colours
_CANDIDATES: dict[str, tuple[int, ...]] = {"256": tuple(range(16, 256)), "standard": tuple(range(16))}


@lru_cache(maxsize=8192)
def nearest(rgb: RGB, depth: str) -> int:
    """The xterm colour index nearest to ``rgb`` in CIELAB, for ``depth`` ("256" or "standard")."""
    return min(_CANDIDATES[depth], key=lambda index: delta_e(rgb, xterm_rgb(index)))


def parse_hex(value: str) -> RGB | None:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6:
        return None
    try:
        number = int(value, 16)
    except ValueError:
        return None
    return number >> 16, number >> 8 & 0xFF, number & 0xFF


def parse_palette(data: object, warnings: list[str]) -> dict[RGB, dict[str, int]]:
    """The theme's ``palette``: ``{"#rrggbb": {"256": 0-255, "16": 0-15}}`` → ``{rgb: {depth: index}}``.
    Bad entries are warned about and ignored (like unknown keys)."""
    out: dict[RGB, dict[str, int]] = {}
    if not isinstance(data, Mapping):
        warnings.append("`palette` must be an object mapping hex colours to {\"256\": N, \"16\": N} (ignored)")
        return out
    for colour, values in data.items():
        rgb = parse_hex(colour) if isinstance(colour, str) else None
        if rgb is None or not isinstance(values, Mapping):
            warnings.append(f"palette entry `{colour}`: expected \"#rrggbb\": {{\"256\": N, \"16\": N}} (ignored)")
            continue
        pinned: dict[str, int] = {}
        for depth, key in DEPTH_KEYS.items():
            if key not in values:
                continue
            index = values[key]
            limit = 256 if key == "256" else 16
            if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < limit:
                warnings.append(f"palette entry `{colour}`: \"{key}\" must be an integer 0-{limit - 1} (ignored)")
                continue
            pinned[depth] = index
        unknown = set(values) - set(DEPTH_KEYS.values())
        if unknown:
            warnings.append(f"palette entry `{colour}`: unknown key(s) {', '.join(sorted(map(str, unknown)))} (ignored)")
        if pinned:
            out[rgb] = pinned
    return out


def reduce(rgb: RGB, depth: str, palette: Mapping[RGB, Mapping[str, int]]) -> int:
    """The colour index for ``rgb`` at ``depth``: the theme's pinned value, else the nearest."""
    pinned = palette.get(rgb)
    if pinned is not None and depth in pinned:
        return pinned[depth]
    return nearest(rgb, depth)
