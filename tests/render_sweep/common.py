"""Shared pieces of the rendering sweeps: themes, colour depths, width checks."""

from __future__ import annotations

import re
from html import unescape

from rich.cells import cell_len
from rich.text import Text

from slidekit.theme.load import builtin_names, load_theme
from slidekit.theme.schema import Theme

#: every colour depth the terminal renderer emits (None = no colour)
DEPTHS: tuple[str | None, ...] = ("truecolor", "256", "standard", None)
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_TAGS = re.compile(r"<[^>]*>")


def builtin_themes() -> dict[str, Theme]:
    return {name: load_theme(name, env={}).theme for name in builtin_names()}


def fence(code: str, lang: str) -> str:
    """``code`` in a backtick fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{lang}\n{code}\n{marks}\n"


def check_width(lines: list[Text], ansi: str, width: int, where: str) -> None:
    """Every rendered line, and every line of its ANSI text, is at most ``width`` cells."""
    for line in lines:
        assert "\n" not in line.plain, where
        assert line.cell_len <= width, f"{where}: {line.cell_len} > {width}: {line.plain!r}"
    for row in ansi.split("\n"):
        visible = _SGR.sub("", row)
        assert "\x1b" not in visible, f"{where}: stray escape in {row!r}"
        assert cell_len(visible) <= width, f"{where}: ANSI row {cell_len(visible)} > {width}: {visible!r}"


def html_text(fragment: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded)."""
    return unescape(_TAGS.sub("", fragment))
