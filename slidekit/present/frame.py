"""Laying out one screen (pure): slide body, scrolling, banners, help, footer.

Everything here takes and returns :class:`rich.text.Text` lines; the loop turns
them into ANSI once per frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.style import Style as RichStyle
from rich.text import Text

from slidekit.present.state import help_lines

if TYPE_CHECKING:
    from rich.console import Console

MIN_WIDTH = 20
MIN_HEIGHT = 5

BANNER_STYLE = "bold white on red"


def wrap_plain(text: str, width: int, style: str = "") -> list[Text]:
    """``text`` wrapped to ``width`` cells, one Text per line (hard-wrapping long words)."""
    out: list[Text] = []
    for paragraph in text.splitlines() or [""]:
        t = Text(paragraph, style=style)
        pieces = t.wrap(_measure(width), width, overflow="fold") if paragraph else [Text("", style=style)]
        out.extend(pieces)
    return out


def fit(lines: list[Text], width: int) -> list[Text]:
    """``lines`` wrapped (long words folded) so none is wider than ``width``."""
    out: list[Text] = []
    for line in lines:
        if line.cell_len <= width:
            out.append(line)
        else:
            out.extend(line.wrap(_measure(width), width, overflow="fold"))
    return out


def _measure(width: int) -> Console:
    return cast("Console", _Measure(width))


class _Measure:
    """The minimum of a rich Console that Text.wrap needs (avoids building a Console)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.tab_size = 4

    def __getattr__(self, name: str) -> object:  # pragma: no cover - defensive
        raise AttributeError(name)


def too_small(width: int, height: int, need_width: int = MIN_WIDTH, need_height: int = MIN_HEIGHT) -> list[Text]:
    """The whole screen when the terminal is too small: a message that always fits."""
    candidates = (
        f"terminal too small ({width}x{height}), need at least {need_width}x{need_height}",
        f"too small ({width}x{height}), need {need_width}x{need_height}",
        f"{width}x{height} < {need_width}x{need_height}",
    )
    for message in candidates:
        lines = wrap_plain(message, max(width, 1), "bold")
        if len(lines) <= max(height, 1):
            return lines
    return lines[: max(height, 1)]


def is_too_small(width: int, height: int, need_width: int = MIN_WIDTH, need_height: int = MIN_HEIGHT) -> bool:
    return width < need_width or height < need_height


@dataclass(frozen=True)
class Chrome:
    """What surrounds the slide body: error banner on top, status line and footer below."""

    banner: tuple[Text, ...] = ()
    status: Text | None = None

    def body_rows(self, height: int) -> int:
        return max(height - len(self.banner) - (1 if self.status is not None else 0) - 1, 1)


def banner_lines(message: str, width: int, max_lines: int = 3) -> tuple[Text, ...]:
    lines = wrap_plain(message, width, BANNER_STYLE)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [Text("…", style=BANNER_STYLE)]
    for line in lines:
        line.pad_right(width - line.cell_len)
    return tuple(lines)


def scroll_indicator(scroll: int, rows: int, total: int) -> str:
    """``↓ more (shown/total)`` while content is below, ``↑ (…)`` at the bottom, '' if it fits."""
    if total <= rows:
        return ""
    last = min(scroll + rows, total)
    if last < total:
        return f"↓ more ({last}/{total}) J/K scroll"
    return f"↑ ({last}/{total}) K scroll up"


def crop_indicator(needed: int, width: int) -> str:
    """``→ needs N cols`` when pre-processed output (a diagram, never re-wrapped) is
    wider than the terminal and so is cut at the right edge; '' when it fits."""
    return f"→ cut: needs {needed} cols" if needed > width else ""


def help_overlay(width: int, rows: int) -> list[Text]:
    """The key bindings, generated from the dispatch table."""
    entries = help_lines()
    key_width = min(max(len(k) for k, _ in entries), 26, max(width // 3, 6))
    out = [Text(" slidekit — keys (any key closes) ", style="bold reverse"), Text("")]
    for keys, description in entries:
        line = Text()
        if len(keys) > key_width:  # long key lists get a line of their own
            line.append(keys, style="bold cyan")
            line.truncate(width, overflow="ellipsis")
            out.append(line)
            line = Text(" " * key_width)
        else:
            line.append(keys.ljust(key_width), style="bold cyan")
        line.append("  ")
        line.append(description)
        line.truncate(width, overflow="ellipsis")
        out.append(line)
    out += [Text(""), Text("speaker notes: run `slidekit present DECK --notes` in a second terminal", style="dim")]
    for line in out[-1:]:
        line.truncate(width, overflow="ellipsis")
    if len(out) > rows:
        out = out[: rows - 1] + [Text("… (enlarge the terminal to see all keys)", style="dim")]
    return out


Row = Text | str  # a styled line, or one already converted to ANSI (slide body cache)


def compose(
    body: Sequence[Row],
    width: int,
    height: int,
    scroll: int,
    footer: Text,
    chrome: Chrome,
    help_rows: list[Text] | None = None,
) -> list[Row]:
    """Exactly ``height`` rows: banner, the visible part of the body, status, footer."""
    rows = chrome.body_rows(height)
    visible: Sequence[Row] = help_rows if help_rows is not None else body[scroll : scroll + rows]
    lines: list[Row] = list(chrome.banner)
    lines.extend(visible[:rows])
    lines.extend("" for _ in range(rows - min(len(visible), rows)))
    if chrome.status is not None:
        lines.append(chrome.status)
    lines.append(footer)
    for line in lines:
        if isinstance(line, Text) and line.cell_len > width:
            line.truncate(width)
    return lines[:height]


def paint(rows: list[Row], width: int, fill: RichStyle | None) -> list[Row]:
    """Every row ``width`` cells wide on ``fill`` (the document background), so the whole
    screen, blank rows between the slide and the footer included, is in the theme's colours.
    Rows already converted to ANSI (slide rows, which the renderer pads) stay as they are."""
    if fill is None:
        return rows
    out: list[Row] = []
    for row in rows:
        if isinstance(row, str) and row:
            out.append(row)
            continue
        line = Text(style=fill)
        if isinstance(row, Text):
            line.append_text(row)
        line.pad_right(max(width - line.cell_len, 0))
        out.append(line)
    return out
