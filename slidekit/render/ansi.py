"""Styled lines → text with ANSI escape codes, for one colour depth.

slidekit writes the escape codes itself rather than through a rich Console: the
colour reduction must be perceptual and may be pinned by the theme
(:mod:`slidekit.theme.palette`), where rich's is RGB-based; and a presenter frame
or a sweep converts tens of thousands of lines, which a Console does slowly.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from itertools import pairwise

from rich.color import Color, ColorType
from rich.style import Style
from rich.text import Text

from slidekit.render.style import clean_text
from slidekit.theme.palette import RGB, reduce, xterm_rgb

COLOR_SYSTEMS = ("truecolor", "256", "standard")
_EMPTY: Mapping[RGB, Mapping[str, int]] = {}
#: a theme's pinned values in a hashable form (a cache key): ((rgb, ((depth, index), ...)), ...)
Pinned = tuple[tuple[RGB, tuple[tuple[str, int], ...]], ...]
_ATTRS = (("bold", "1"), ("dim", "2"), ("italic", "3"), ("underline", "4"), ("blink", "5"),
          ("reverse", "7"), ("conceal", "8"), ("strike", "9"), ("overline", "53"))


def to_ansi(lines: list[Text], color_system: str | None,
            palette: Mapping[RGB, Mapping[str, int]] | None = None) -> str:
    """``lines`` joined with newlines, with escape codes for ``color_system``
    ("truecolor", "256", "standard" = 16 colours) or none at all (None).
    ``palette`` is the theme's pinned 256/16-colour values for its hex colours."""
    if color_system is not None and color_system not in COLOR_SYSTEMS:
        raise ValueError(f"unknown colour system {color_system!r}")
    lines = [clean_text(line) for line in lines]  # the terminal sink: nothing from a deck escapes as control codes
    if color_system is None:
        return "\n".join(line.plain for line in lines)
    pinned = _freeze(palette or _EMPTY)
    return "\n".join(_line(line, color_system, pinned) for line in lines)


def _freeze(palette: Mapping[RGB, Mapping[str, int]]) -> Pinned:
    return tuple(sorted((rgb, tuple(sorted(v.items()))) for rgb, v in palette.items()))


def _line(line: Text, depth: str, pinned: Pinned) -> str:
    plain = line.plain
    if not plain:
        return ""
    base = _style(line.style)
    spans = [(s.start, s.end, _style(s.style)) for s in line.spans if s.end > s.start]
    if not spans:
        return _wrap(plain, _sgr(base, depth, pinned))
    size = len(plain)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for number, (start, end, _) in enumerate(spans):
        starts.setdefault(min(start, size), []).append(number)
        ends.setdefault(min(end, size), []).append(number)
    cuts = sorted({0, size, *starts, *ends})
    active: set[int] = set()
    runs: list[tuple[str, str]] = []  # (sgr, text), neighbours with equal codes merged
    for start, end in pairwise(cuts):
        active.difference_update(ends.get(start, ()))
        active.update(starts.get(start, ()))
        if start >= end:
            continue
        styles = (base, *(spans[number][2] for number in sorted(active)))
        sgr = _sgr(_combine(styles), depth, pinned)
        if runs and runs[-1][0] == sgr:
            runs[-1] = (sgr, runs[-1][1] + plain[start:end])
        else:
            runs.append((sgr, plain[start:end]))
    return "".join(_wrap(text, sgr) for sgr, text in runs)


def _wrap(text: str, sgr: str) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text


def _style(style: str | Style) -> Style:
    return _parse(style) if isinstance(style, str) else style


@lru_cache(maxsize=1024)
def _parse(style: str) -> Style:
    return Style.parse(style) if style else Style()


@lru_cache(maxsize=8192)
def _combine(styles: tuple[Style, ...]) -> Style:
    return Style.combine(styles)


@lru_cache(maxsize=8192)
def _sgr(style: Style, depth: str, pinned: Pinned) -> str:
    codes = [code for name, code in _ATTRS if getattr(style, name)]
    palette = {rgb: dict(values) for rgb, values in pinned}
    if style.color is not None:
        codes.append(_color(style.color, depth, palette, foreground=True))
    if style.bgcolor is not None:
        codes.append(_color(style.bgcolor, depth, palette, foreground=False))
    return ";".join(code for code in codes if code)


def _color(color: Color, depth: str, pinned: Mapping[RGB, Mapping[str, int]], *, foreground: bool) -> str:
    if color.type is ColorType.DEFAULT:
        return "39" if foreground else "49"
    if color.type is ColorType.TRUECOLOR and color.triplet is not None:
        rgb = (color.triplet.red, color.triplet.green, color.triplet.blue)
        if depth == "truecolor":
            return f"{38 if foreground else 48};2;{rgb[0]};{rgb[1]};{rgb[2]}"
        index = reduce(rgb, depth, pinned)
    else:
        index = color.number if color.number is not None else 0
        if depth == "standard" and index >= 16:
            index = reduce(xterm_rgb(index), depth, _EMPTY)
    if index < 8:
        return str((30 if foreground else 40) + index)
    if index < 16:
        return str((90 if foreground else 100) + index - 8)
    return f"{38 if foreground else 48};5;{index}"
