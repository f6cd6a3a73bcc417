"""The verdict on one console block (plain data, standard library only), shared by the
verifier, its reports, the presenter's badges and the HTML export."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ConsoleStatus(str, Enum):
    """What checking a console block found. The value is what reports show."""

    CHECKED = "checked"  # every command printed what the slide says
    DIFFERS = "differs"  # some output (or exit status) differs from the slide
    ERROR = "error"  # could not be checked: malformed block, missing image, timeout, engine error
    NOT_RUN = "not run"  # its stage was not built, no engine, or `host` in an untrusted deck
    NOT_CHECKED = "not checked"  # no target (`stage=`, `image=`, `host`): only shown

    @property
    def failing(self) -> bool:
        return self in (ConsoleStatus.DIFFERS, ConsoleStatus.ERROR)

    @property
    def mark(self) -> str:
        return "✓" if self is ConsoleStatus.CHECKED else "✗" if self.failing else "·"

    @property
    def badge(self) -> str:
        """The badge class of an HTML export: ok, fail or unknown."""
        return "ok" if self is ConsoleStatus.CHECKED else "fail" if self.failing else "unknown"

    @property
    def label(self) -> str:
        """The badge text: ``checked ✓``, ``differs ✗``, ``not checked``..."""
        return f"{self.value} {self.mark}" if self.mark != "·" else self.value


@dataclass(frozen=True)
class CommandOutput:
    """What one command of the block printed, and its exit status (None: it never ran)."""

    command: str
    output: str
    status: int | None


@dataclass(frozen=True)
class ConsoleResult:
    """One console block. ``line`` is the first differing expected line (or the block's
    fence line); ``block_line`` always the fence line."""

    path: str
    line: int
    block_line: int
    target: str  # "stage app", "image busybox:latest", "host", "" (no target)
    status: ConsoleStatus
    message: str = ""
    diff: str = ""
    seconds: float = 0.0
    slide_index: int = 0
    outputs: tuple[CommandOutput, ...] = ()
    image_id: str | None = None
    from_cache: bool = False

    def __str__(self) -> str:
        where = f" ({self.target})" if self.target else ""
        text = f": {self.message}" if self.message else ""
        return f"{self.path}:{self.line}: console block{where}: {self.status.value}{text}"
