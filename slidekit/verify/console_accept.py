"""``verify --accept``: write what the console blocks really printed back into the deck.

The one place slidekit edits a deck. Pure: :func:`accept` takes the deck's bytes
and the results and returns the new bytes and what changed; only the lines of
commands whose output differs are replaced (a matching command keeps its ``...``
and ``[..]``), and every other byte stays as it was, line endings (LF, CRLF,
CR), a BOM and the indentation of a nested block included. The command writes
the result atomically (:func:`slidekit.files.write_atomic`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from slidekit.deck.console import ConsoleBlock
from slidekit.verify.console_match import actual_transcript, command_runs, expected_transcript
from slidekit.verify.console_result import ConsoleResult, ConsoleStatus

_BREAK = re.compile(r"(\r\n|\r|\n)")


@dataclass(frozen=True)
class Change:
    """Deck lines ``first``..``last`` (inclusive; ``last < first``: an insertion before ``first``)
    became ``new`` lines."""

    first: int
    last: int
    new: tuple[str, ...]

    def describe(self, path: str) -> str:
        old = self.last - self.first + 1
        where = f"{path}:{self.first}" if old <= 1 else f"{path}:{self.first}-{self.last}"
        if old == 0:
            return f"{where}: inserted {_lines(len(self.new))}"
        if not self.new:
            return f"{where}: removed {_lines(old)}"
        return f"{where}: replaced {_lines(old)} with {_lines(len(self.new))}"


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"


def _split(text: str) -> tuple[list[str], list[str]]:
    """Lines and the break after each (the last one may have none)."""
    parts = _BREAK.split(text)
    return parts[0::2], [*parts[1::2], ""]


def accept(data: bytes, blocks: Sequence[ConsoleBlock], results: Sequence[ConsoleResult]) -> tuple[bytes, list[Change]]:
    """The deck with every differing block's actual output written in, and the changes (deck order)."""
    text = data.decode("utf-8")
    lines, breaks = _split(text)
    by_line = {r.block_line: r for r in results}
    changes: list[Change] = []
    for block in sorted(blocks, key=lambda b: b.line, reverse=True):  # bottom up: earlier line numbers stay valid
        result = by_line.get(block.line)
        if result is None or result.status is not ConsoleStatus.DIFFERS or not result.outputs:
            continue
        runs = command_runs(result.outputs)
        old = expected_transcript(block)
        new = actual_transcript(block, runs)
        start = block.code.code_start - 1  # 0-based index of the block's first code line
        prefix = _prefix(lines, start, old)
        eol = _eol(breaks, start, len(old))
        for tag, i1, i2, j1, j2 in reversed(difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()):
            if tag == "equal":
                continue
            replacement = [prefix + line if line else line for line in new[j1:j2]]
            lines[start + i1:start + i2] = replacement
            breaks[start + i1:start + i2] = [eol] * len(replacement)
            changes.append(Change(start + i1 + 1, start + i2, tuple(new[j1:j2])))
    changes.sort(key=lambda c: c.first)
    out = "".join(line + brk for line, brk in zip(lines, breaks, strict=True))
    return out.encode("utf-8"), changes


def _prefix(lines: list[str], start: int, code: list[str]) -> str:
    """The indentation a nested block's lines carry in the file but not in its code."""
    for offset, line in enumerate(code):
        raw = lines[start + offset] if start + offset < len(lines) else ""
        if line and raw.endswith(line) and len(raw) > len(line):
            return raw[: len(raw) - len(line)]
        if line:
            return ""
    return ""


def _eol(breaks: list[str], start: int, count: int) -> str:
    """The line break the block uses (its first line's), so a CRLF deck stays CRLF."""
    for index in range(start, min(start + max(count, 1), len(breaks))):
        if breaks[index]:
            return breaks[index]
    return "\n"
