"""Values the verifier passes between its stages: assemble → static checks → build → report.

Everything here is plain data. Dockerfile line numbers are 1-based lines of the
*assembled* Dockerfile; :meth:`AssembledDockerfile.deck_line` maps them back to
the deck, which is what every user-facing message names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from slidekit.errors import EXIT_BASE_MISSING, EXIT_DOCKER_UNAVAILABLE, EXIT_FAILED, EXIT_OK
from slidekit.verify.console_result import ConsoleResult
from slidekit.verify.vocab import Builder, CheckStatus, StageStatus

__all__ = ["AssembledDockerfile", "Builder", "CheckStatus", "Finding", "Severity", "SmokeResult", "StageResult",
           "StageStatus", "StepTiming", "VerifyReport"]


@dataclass(frozen=True)
class AssembledDockerfile:
    """One Dockerfile joined from the deck's blocks, with a line map back to the deck.

    ``line_map[i]`` is the deck line of Dockerfile line ``i + 1``; ``slide_of[i]``
    the 0-based slide index it came from.
    """

    name: str
    text: str
    line_map: tuple[int, ...]
    slide_of: tuple[int, ...]
    deck_path: str

    def deck_line(self, dockerfile_line: int) -> int:
        if not self.line_map:
            return 1
        index = min(max(dockerfile_line, 1), len(self.line_map)) - 1
        return self.line_map[index]

    def slide_index(self, dockerfile_line: int) -> int:
        if not self.slide_of:
            return 0
        index = min(max(dockerfile_line, 1), len(self.slide_of)) - 1
        return self.slide_of[index]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """A static check result, located in the deck."""

    rule: str
    severity: Severity
    message: str
    path: str
    line: int
    dockerfile: str = "Dockerfile"
    source: str = "slidekit"  # or "hadolint"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message} [{self.rule}]"


@dataclass(frozen=True)
class StepTiming:
    """One instruction of a built stage: its deck line, text, time and whether the layer cache answered."""

    line: int
    instruction: str
    seconds: float
    cached: bool = False
    started: float = 0.0  # seconds since the epoch (BuildKit's trace); 0.0 unknown


@dataclass(frozen=True)
class StageResult:
    """What happened to one stage of one Dockerfile."""

    dockerfile: str
    stage: str
    status: StageStatus
    line: int  # deck line of the stage's FROM, or of the failing instruction
    path: str
    seconds: float = 0.0
    image_id: str | None = None
    message: str = ""
    log_tail: tuple[str, ...] = ()
    slide_index: int = 0
    steps: tuple[StepTiming, ...] = ()  # per instruction (BuildKit's trace; the classic builder's steps)


@dataclass(frozen=True)
class SmokeResult:
    """A smoke check run against a built stage image (``verify --run``)."""

    dockerfile: str
    stage: str
    kind: str  # "command" | "http"
    passed: bool
    detail: str
    path: str
    line: int
    seconds: float = 0.0

    @property
    def status(self) -> CheckStatus:
        return CheckStatus.PASSED if self.passed else CheckStatus.FAILED


@dataclass(frozen=True)
class VerifyReport:
    deck_path: str
    findings: tuple[Finding, ...] = ()
    stages: tuple[StageResult, ...] = ()
    smoke: tuple[SmokeResult, ...] = ()
    engine_available: bool = True
    engine_message: str = ""
    engine_name: str = ""  # the engine used: context name and URL, or the URL (EngineSpec.label)
    from_cache: bool = False
    seconds: float = 0.0
    dockerfiles: tuple[str, ...] = field(default_factory=tuple)
    builder: Builder | None = None  # the builder that built (None: nothing was built)
    static_only: bool = False  # `verify --static`: only the static checks ran, nothing was built
    console: tuple[ConsoleResult, ...] = ()  # console blocks (```console), in deck order

    @property
    def failed(self) -> bool:
        return (
            any(f.severity is Severity.ERROR for f in self.findings)
            or any(s.status.failing for s in self.stages)
            or any(not s.passed for s in self.smoke)
            or any(c.status.failing for c in self.console)
        )

    @property
    def base_missing(self) -> bool:
        return any(s.status is StageStatus.BASE_MISSING for s in self.stages)

    @property
    def exit_code(self) -> int:
        """1 when something the deck says failed; else 4 when a base image is missing;
        else 3 without an engine; else 0."""
        slide_failure = (
            any(f.severity is Severity.ERROR for f in self.findings)
            or any(s.status.slide_failure for s in self.stages)
            or any(not s.passed for s in self.smoke)
            or any(c.status.failing for c in self.console)
        )
        if slide_failure:
            return EXIT_FAILED
        if self.base_missing:
            return EXIT_BASE_MISSING
        if not self.engine_available:
            return EXIT_DOCKER_UNAVAILABLE
        return EXIT_OK
