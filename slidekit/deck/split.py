"""Cut source text into front matter and slide chunks, keeping line numbers.

slides splits on the literal ``\\n---\\n`` (and slidekit also on presenterm's
``<!-- end_slide -->`` line); slidekit does the same except that a
``---`` line inside a fenced code block (```` ``` ```` or ``~~~``) does not split,
so a YAML snippet or a ``~~~`` block on a slide stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slidekit.errors import DeckError

#: presenterm's alternative slide separator
_END_SLIDE = re.compile(r"^\s*<!--\s*end_slide\s*-->\s*$")
_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True)
class Chunk:
    """Lines of one slide (or the front matter); ``first_line`` is 1-based."""

    lines: tuple[str, ...]
    first_line: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def last_line(self) -> int:
        return self.first_line + max(len(self.lines), 1) - 1


def normalise(text: str) -> str:
    """Drop a UTF-8 BOM and carriage returns (CRLF and lone CR decks work)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fence_state(lines: list[str], path: str) -> list[bool]:
    """For each line, True if it lies inside a fenced block (fence lines included)."""
    inside: list[bool] = []
    open_fence: tuple[str, int, int] | None = None  # (char, length, line number)
    for number, line in enumerate(lines, start=1):
        if open_fence is None:
            m = _FENCE_OPEN.match(line)
            if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
                open_fence = (m.group(2)[0], len(m.group(2)), number)
                inside.append(True)
                continue
            inside.append(False)
        else:
            char, length, _ = open_fence
            stripped = line.strip()
            inside.append(True)
            if (
                len(line) - len(line.lstrip(" ")) <= 3
                and stripped
                and set(stripped) == {char}
                and len(stripped) >= length
            ):
                open_fence = None
    if open_fence is not None:
        char, _, number = open_fence
        kind = "code block" if char == "`" else "~~~ block"
        raise DeckError(f"unclosed {kind} opened here ({char * 3} never closed)", path, number)
    return inside


def split_chunks(text: str, path: str) -> list[Chunk]:
    """Split normalised text on ``---`` lines outside fences."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    inside = fence_state(lines, path)
    chunks: list[Chunk] = []
    current: list[str] = []
    start = 1
    for number, (line, fenced) in enumerate(zip(lines, inside), start=1):
        if (line == "---" or _END_SLIDE.match(line)) and not fenced:
            chunks.append(Chunk(tuple(current), start))
            current = []
            start = number + 1
        else:
            current.append(line)
    chunks.append(Chunk(tuple(current), start))
    return chunks
