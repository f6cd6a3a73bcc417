"""Verification's vocabulary: stage and check statuses, builders, progress events and their text.

A neutral module (standard library only): the verifier produces these values;
the presenter, the HTML renderer and export consume them as types, without
importing the verifier's machinery (assembler, Docker SDK, protobuf).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from slidekit.sanitize import clean


class StageStatus(str, Enum):
    """What happened to one stage. The value is the text reports show (and JSON carries)."""

    BUILT = "built"
    CACHED = "cached"  # built, every instruction answered from the engine's layer cache
    FAILED = "failed"
    NOT_REACHED = "not reached"
    BASE_MISSING = "base image missing"
    UNSUPPORTED = "unsupported"  # the chosen builder cannot build it through this path (the reason says why)
    NOT_VERIFIED = "not verified"

    @property
    def succeeded(self) -> bool:
        """An image exists for the stage (built now, or every step from the layer cache)."""
        return self in _SUCCEEDED

    @property
    def slide_failure(self) -> bool:
        """Something the deck says is wrong (exit 1)."""
        return self is StageStatus.FAILED

    @property
    def failing(self) -> bool:
        """Fails the verification (a slide failure, or a base image the machine lacks)."""
        return self in (StageStatus.FAILED, StageStatus.BASE_MISSING)

    @property
    def badge(self) -> str:
        """The badge class of an HTML export: ok, fail, warn or unknown."""
        return _BADGE[self]

    @property
    def mark(self) -> str:
        return "✓" if self.succeeded else "✗" if self.failing else "·"


_SUCCEEDED = frozenset({StageStatus.BUILT, StageStatus.CACHED})
_BADGE = {
    StageStatus.BUILT: "ok", StageStatus.CACHED: "ok", StageStatus.FAILED: "fail", StageStatus.BASE_MISSING: "fail",
    StageStatus.NOT_REACHED: "warn", StageStatus.UNSUPPORTED: "warn", StageStatus.NOT_VERIFIED: "unknown",
}

#: Worst first: a slide showing several stages takes the worst of their statuses.
SEVERITY_ORDER = (
    StageStatus.FAILED,
    StageStatus.BASE_MISSING,
    StageStatus.NOT_REACHED,
    StageStatus.UNSUPPORTED,
    StageStatus.NOT_VERIFIED,
    StageStatus.BUILT,
    StageStatus.CACHED,
)


def worst(a: StageStatus | None, b: StageStatus) -> StageStatus:
    return b if a is None or SEVERITY_ORDER.index(b) < SEVERITY_ORDER.index(a) else a


class CheckStatus(str, Enum):
    """A smoke check's verdict."""

    PASSED = "passed"
    FAILED = "failed"

    @property
    def mark(self) -> str:
        return "✓" if self is CheckStatus.PASSED else "✗"


class Builder(str, Enum):
    """Which engine builder builds the stages (``--builder``, front matter ``builder:``)."""

    AUTO = "auto"  # BuildKit when the engine offers it, else classic
    BUILDKIT = "buildkit"
    CLASSIC = "classic"


class ProgressKind(str, Enum):
    STATIC = "static"  # static checks start
    BUILD = "build"  # a build request starts (one per leaf target)
    STEP = "step"  # an instruction starts
    STAGE = "stage"  # a stage finished (status, seconds)
    CACHED = "cached"  # the whole result came from the verify cache
    SMOKE = "smoke"  # a smoke check starts
    CHECKED = "checked"  # a smoke check's (or a console block's) verdict
    CONSOLE = "console"  # a console block starts running (dockerfile: deck.md:LINE, text: where it runs)
    DONE = "done"


@dataclass(frozen=True)
class ProgressEvent:
    """One thing that happened while verifying. ``status`` is set for STAGE and CHECKED."""

    kind: ProgressKind
    dockerfile: str = ""
    stage: str = ""
    step: int = 0
    total: int = 0
    text: str = ""
    status: StageStatus | CheckStatus | None = None
    seconds: float = 0.0

    @property
    def where(self) -> str:
        return f"{self.dockerfile}:{self.stage}" if self.stage else self.dockerfile

    @property
    def ok(self) -> bool:
        return self.status is CheckStatus.PASSED or (isinstance(self.status, StageStatus) and self.status.succeeded)



def cleaned(event: ProgressEvent) -> ProgressEvent:
    """``event`` with the deck's text in it (stage names, instructions, check commands) passed through the
    terminal sanitizer; the progress consumers show only cleaned events."""
    return replace(event, dockerfile=clean(event.dockerfile), stage=clean(event.stage), text=clean(event.text))

def _status_text(event: ProgressEvent) -> str:
    return event.status.value if event.status is not None else ""


_TEXT = {
    ProgressKind.STATIC: lambda e: "static checks",
    ProgressKind.BUILD: lambda e: f"building {e.where}",
    ProgressKind.STEP: lambda e: f"{e.where} step {e.step}/{e.total}: {e.text}",
    ProgressKind.STAGE: lambda e: f"{e.where}: {_status_text(e)} ({e.seconds:.1f}s)",
    ProgressKind.CACHED: lambda e: "unchanged since the last verify: using the cached result",
    ProgressKind.SMOKE: lambda e: f"smoke check {e.where} ({e.text})" if e.stage else "running smoke checks",
    ProgressKind.CONSOLE: lambda e: f"console block {e.dockerfile} ({e.text})",
    ProgressKind.CHECKED: lambda e: f"{e.where}: {e.text} check {_status_text(e)} ({e.seconds:.1f}s)",
}


def describe(event: ProgressEvent, *, steps: bool = False) -> str | None:
    """The one-line text of ``event`` (None: nothing to say; STEP only with ``steps``)."""
    if event.kind is ProgressKind.STEP and not steps:
        return None
    text = _TEXT.get(event.kind)
    return None if text is None else text(event)
