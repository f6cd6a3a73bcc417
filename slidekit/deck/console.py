"""Console blocks: a ```` ```console ```` (or ``shell-session``) fence is a shell transcript.

Lines starting ``$ `` are commands, ``> `` lines right after a command continue it,
everything else up to the next ``$ `` is that command's expected output; a last
output line ``[exit: N]`` says the command exits with N (otherwise 0 is expected).
The info string says where the block runs::

    ```console stage=app              a container from the stage image `app` that verify builds
    ```console image=busybox:latest   a container from a local image
    ```console host                   on the host (trusted decks only)
    ```console stage=app stderr=ignore timeout=20 mount=data:/data

Pure: :func:`parse_console` turns a :class:`~slidekit.deck.model.CodeBlock` into a
:class:`ConsoleBlock` whose every command and expected line keeps its deck line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slidekit.deck.model import CodeBlock, Deck, Slide, walk

#: fence languages that are console transcripts
CONSOLE_LANGS = frozenset({"console", "shell-session"})
DEFAULT_TIMEOUT = 60.0

_EXIT = re.compile(r"^\[exit:\s*(\d{1,3})\]$")


@dataclass(frozen=True)
class Line:
    """One line of the transcript as written, with its deck line."""

    text: str
    line: int


@dataclass(frozen=True)
class ConsoleCommand:
    """``$ cmd`` (plus ``> `` continuation lines), its expected output and exit status."""

    source: tuple[Line, ...]  # the `$ ` line and its `> ` continuations, verbatim
    expected: tuple[Line, ...]  # expected output lines (without an `[exit: N]` line)
    exit_status: int = 0
    exit_line: int | None = None  # deck line of `[exit: N]`
    raw: tuple[Line, ...] = ()  # every line from the `$ ` line up to the next command, blank lines included

    @property
    def line(self) -> int:
        return self.source[0].line

    @property
    def text(self) -> str:
        """The command as the shell gets it: prompts removed, continuation lines joined by newlines."""
        return "\n".join(_strip_prompt(item.text) for item in self.source)

    @property
    def blank_tail(self) -> tuple[Line, ...]:
        """The blank lines that end :attr:`raw` (kept when the output is rewritten)."""
        end = len(self.raw)
        while end > len(self.source) and not self.raw[end - 1].text.strip():
            end -= 1
        return self.raw[end:]


@dataclass(frozen=True)
class ConsoleBlock:
    """A parsed console block. ``kind`` is ``stage``, ``image``, ``host`` or ``""`` (no target: only shown)."""

    code: CodeBlock
    slide_index: int
    kind: str
    target: str
    commands: tuple[ConsoleCommand, ...]
    stderr: bool = True  # stderr is part of the output (unless `stderr=ignore`)
    timeout: float = DEFAULT_TIMEOUT
    mount: str = ""  # `mount=SRC:DEST`: SRC (relative to the deck's folder) bound read-only at DEST
    error: str = ""  # why the block cannot be checked (malformed), with ``error_line``
    error_line: int = 0
    leading: tuple[Line, ...] = ()  # lines before the first `$ ` (an error when the block has a target)

    @property
    def line(self) -> int:
        """The deck line of the opening fence."""
        return self.code.span.first

    @property
    def checked(self) -> bool:
        return bool(self.kind)

    def describe(self) -> str:
        return {"stage": f"stage {self.target}", "image": f"image {self.target}", "host": "host"}.get(self.kind, "")

    def block_text(self) -> str:
        """What identifies the block's content (cache keys): info string and code."""
        return f"{self.code.info}\n{self.code.code}"


def is_console(block: CodeBlock) -> bool:
    return block.lang in CONSOLE_LANGS


def _strip_prompt(text: str) -> str:
    for prompt in ("$ ", "> "):
        if text.startswith(prompt):
            return text[len(prompt):]
    return text[1:] if text in ("$", ">") else text


def _is_command(text: str) -> bool:
    return text.startswith("$ ") or text == "$"


def _target(block: CodeBlock) -> tuple[str, str, str]:
    """(kind, target, error) from the info string."""
    chosen = [(k, block.attrs[k]) for k in ("stage", "image") if k in block.attrs]
    if "host" in block.flags:
        chosen.append(("host", ""))
    if len(chosen) > 1:
        return "", "", f"console block: choose one of stage=, image= and host (got {', '.join(k for k, _ in chosen)})"
    if not chosen:
        return "", "", ""
    kind, target = chosen[0]
    if kind != "host" and not target.strip():
        return "", "", f"console block: `{kind}=` needs a value"
    return kind, target.strip(), ""


def parse_console(block: CodeBlock, slide_index: int = 0) -> ConsoleBlock:
    """The transcript of a console code block (pure; a malformed block gets ``error``)."""
    kind, target, error = _target(block)
    error_line = block.span.first if error else 0
    stderr_mode = block.attrs.get("stderr", "")
    if stderr_mode not in ("", "ignore", "include") and not error:
        error, error_line = f"console block: stderr={stderr_mode}: expected stderr=ignore", block.span.first
    timeout = DEFAULT_TIMEOUT
    raw_timeout = block.attrs.get("timeout")
    if raw_timeout is not None:
        try:
            timeout = float(raw_timeout)
            if not 0 < timeout <= 3600:
                raise ValueError
        except ValueError:
            if not error:
                error, error_line = f"console block: timeout={raw_timeout}: expected seconds (0-3600)", block.span.first
            timeout = DEFAULT_TIMEOUT
    mount = block.attrs.get("mount", "")
    if mount and (":" not in mount or not mount.partition(":")[2].startswith("/")) and not error:
        error, error_line = f"console block: mount={mount}: expected SRC:/absolute/dest", block.span.first
    lines = block.code.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    commands: list[ConsoleCommand] = []
    leading: list[Line] = []
    source: list[Line] = []
    output: list[Line] = []

    def finish() -> None:
        nonlocal error, error_line
        if not source:
            return
        expected = list(output)
        while expected and not expected[-1].text.strip():
            expected.pop()
        status, exit_line = 0, None
        if expected:
            match = _EXIT.match(expected[-1].text.strip())
            if match:
                status, exit_line = int(match.group(1)), expected[-1].line
                expected.pop()
                while expected and not expected[-1].text.strip():
                    expected.pop()
                if status > 255 and not error:
                    error, error_line = f"console block: [exit: {status}]: an exit status is 0-255", exit_line
        for item in expected:
            if _EXIT.match(item.text.strip()) and not error:
                error, error_line = "console block: `[exit: N]` must be the last line of a command's output", item.line
        commands.append(ConsoleCommand(tuple(source), tuple(expected), status, exit_line, tuple(source + output)))

    for index, text in enumerate(lines):
        item = Line(text, block.code_start + index)
        if _is_command(text):
            finish()
            source, output = [item], []
        elif source and not output and (text.startswith("> ") or text == ">"):
            source.append(item)
        elif source:
            output.append(item)
        else:
            leading.append(item)
    finish()
    if kind and not error:
        stray = [t for t in leading if t.text.strip()]
        if stray:
            error, error_line = "console block: output before the first `$ ` command", stray[0].line
        elif not commands:
            error, error_line = "console block: no `$ ` command to run", block.span.first
    return ConsoleBlock(block, slide_index, kind, target, tuple(commands), stderr_mode != "ignore", timeout, mount,
                        error, error_line, tuple(leading))


def console_blocks(deck: Deck) -> list[ConsoleBlock]:
    """Every console block of the deck, in deck order."""
    return [parse_console(block, slide.index) for slide, block in deck.code_blocks() if is_console(block)]


def slide_console_blocks(slide: Slide) -> list[ConsoleBlock]:
    return [parse_console(b, slide.index) for b in walk(slide.blocks) if isinstance(b, CodeBlock) and is_console(b)]
