"""Does what a console block says match what its commands printed? (pure)

- Lines compare exactly after trimming trailing whitespace; trailing blank lines
  do not count.
- ``...`` alone on a line matches any number of lines (none included).
- ``[..]`` inside a line matches any text within that line.
- A command must exit 0 unless its output ends with ``[exit: N]``.
- A mismatch names the deck line of the first differing expected line, with a
  unified diff of the block as written against the block as it ran.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from slidekit.deck.console import ConsoleBlock, ConsoleCommand
from slidekit.verify.console_result import CommandOutput

ANY_LINES = "..."
ANY_TEXT = "[..]"


@dataclass(frozen=True)
class CommandRun:
    """What one command did: its output (stdout+stderr unless ignored) and exit status.

    ``status`` None: the command never ran (an earlier one ended the shell, or time ran out)."""

    output: str
    status: int | None


@dataclass(frozen=True)
class Mismatch:
    line: int  # deck line of the first differing expected line
    message: str
    diff: str


def command_runs(outputs: Iterable[CommandOutput]) -> list[CommandRun]:
    """The runs recorded in a :class:`ConsoleResult`'s ``outputs``."""
    return [CommandRun(o.output, o.status) for o in outputs]


def output_lines(text: str) -> list[str]:
    """Output as compared: lines with trailing whitespace trimmed, trailing blank lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@lru_cache(maxsize=1024)
def _pattern(expected: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in expected.split(ANY_TEXT)), re.S)


def line_matches(expected: str, actual: str) -> bool:
    expected = expected.rstrip()
    if ANY_TEXT not in expected:
        return expected == actual.rstrip()
    return _pattern(expected).fullmatch(actual.rstrip()) is not None


def first_difference(expected: list[str], actual: list[str]) -> int | None:
    """None when ``expected`` (with ``...`` and ``[..]``) matches ``actual``; else the index of
    the first expected line no alignment gets past (``len(expected)``: actual has extra lines)."""
    reach = {0}
    for index, pattern in enumerate(expected):
        if pattern.strip() == ANY_LINES:
            reach = set(range(min(reach), len(actual) + 1))
        else:
            reach = {j + 1 for j in reach if j < len(actual) and line_matches(pattern, actual[j])}
        if not reach:
            return index
    return None if len(actual) in reach else len(expected)


def check_command(command: ConsoleCommand, run: CommandRun) -> tuple[int, str] | None:
    """(deck line, message) of the command's first difference, or None when it matches."""
    if run.status is None:
        return command.line, f"`{_short(command.text)}` did not run ({run.output.strip() or 'the shell ended before it'})"
    expected = output_lines("\n".join(e.text for e in command.expected))
    index = first_difference(expected, output_lines(run.output))
    if index is not None:
        if index < len(command.expected):
            return command.expected[index].line, f"`{_short(command.text)}`: output differs"
        return _after(command), f"`{_short(command.text)}`: more output than the slide shows"
    if run.status != command.exit_status:
        where = command.exit_line or _after(command)
        if command.exit_status == 0:
            return where, f"`{_short(command.text)}` exited with status {run.status} (write `[exit: {run.status}]` after its output if that is expected)"
        return where, f"`{_short(command.text)}` exited with status {run.status}, expected {command.exit_status}"
    return None


def _after(command: ConsoleCommand) -> int:
    """The deck line just after what the slide shows for ``command``."""
    return max([command.source[-1].line] + [e.line for e in command.expected]) + 1


def _short(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first if len(first) <= 60 and "\n" not in text else first[:57] + "…"


def check_block(block: ConsoleBlock, runs: list[CommandRun], path: str) -> Mismatch | None:
    """The block's first difference with a diff of the whole block, or None when every command matches."""
    for command, run in zip(block.commands, runs, strict=False):
        found = check_command(command, run)
        if found is not None:
            line, message = found
            return Mismatch(line, message, diff(block, runs, path))
    if len(runs) < len(block.commands):
        missing = block.commands[len(runs)]
        return Mismatch(missing.line, f"`{_short(missing.text)}` did not run", diff(block, runs, path))
    return None


def command_transcript(command: ConsoleCommand, run: CommandRun | None) -> list[str]:
    """The command as the slide should show it after ``run``: unchanged when it matches (wildcards kept)."""
    if run is None or check_command(command, run) is None:
        return [item.text for item in command.raw]
    out = [s.text for s in command.source] + output_lines(run.output)
    if run.status is not None and run.status != 0:
        out.append(f"[exit: {run.status}]")
    return out + [item.text for item in command.blank_tail]


def expected_transcript(block: ConsoleBlock) -> list[str]:
    lines = block.code.code.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def actual_transcript(block: ConsoleBlock, runs: list[CommandRun]) -> list[str]:
    """The block rewritten with what ran: matching commands as written, the others with their real output."""
    out = [t.text for t in block.leading]
    for index, command in enumerate(block.commands):
        out += command_transcript(command, runs[index] if index < len(runs) else None)
    return out


def diff(block: ConsoleBlock, runs: list[CommandRun], path: str) -> str:
    """Unified diff: the block as written (``expected``) against the block as it ran (``actual``)."""
    lines = difflib.unified_diff(expected_transcript(block), actual_transcript(block, runs),
                                 f"{path}:{block.line} (expected)", "actual", lineterm="")
    return "\n".join(lines)
