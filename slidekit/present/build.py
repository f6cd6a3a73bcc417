"""``ctrl+e`` on a Dockerfile slide: build that slide's stage with the verifier, live.

Runs in the presenter's background thread; ``update(lines, done)`` receives the
lines to show under the slide as the build progresses.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from rich.text import Text

from slidekit.deck.model import CodeBlock, Deck
from slidekit.verify.model import Severity, VerifyReport
from slidekit.verify.engine import selected_engine
from slidekit.verify.run import VerifyOptions, verify
from slidekit.verify.vocab import ProgressEvent, ProgressKind
from slidekit.verify.vocab import describe as describe_event

_FROM_AS_ANY = re.compile(r"^\s*FROM\s.*?\sAS\s+(\S+)\s*$", re.IGNORECASE | re.MULTILINE)

Update = Callable[..., None]


def slide_stages(blocks: list[CodeBlock]) -> list[str]:
    """The stage names defined (``FROM … AS name``) by the slide's Dockerfile blocks."""
    names: list[str] = []
    for block in blocks:
        for match in _FROM_AS_ANY.finditer(block.code):
            if match.group(1) not in names:
                names.append(match.group(1))
    return names


def describe(event: ProgressEvent, start: float) -> str | None:
    """One progress line for a verifier event, with the time since ``start``."""
    text = describe_event(event, steps=True)
    return None if text is None else f"[{time.monotonic() - start:4.1f}s] {text}"


def run_stage(deck: Deck, blocks: list[CodeBlock], update: Update, engine: str | None = None) -> None:
    """Build the stage(s) of ``blocks`` on ``engine`` (``--engine``; None: the engine the
    environment selects) and report progress and the result through ``update``."""
    stages = slide_stages(blocks)
    label = ", ".join(stages) if stages else "the Dockerfile"
    start = time.monotonic()
    log: list[str] = []

    lock = threading.Lock()  # BuildKit builds independent stages at once: events come from several threads

    def progress(event: ProgressEvent) -> None:
        line = describe(event, start)
        if line is None:
            return
        with lock:
            _show(event, line)

    def _show(event: ProgressEvent, line: str) -> None:
        if event.kind is ProgressKind.STEP and log and " step " in log[-1]:
            log[-1] = line  # one live line for the step counter
        else:
            log.append(line)
        update([Text(f"docker build {label} …", style="bold")] + [Text(x, style="dim") for x in log[-6:]])

    update([Text(f"docker build {label}: starting…", style="bold")])
    try:
        options = VerifyOptions(targets=frozenset(stages) or None, console=False, engine=selected_engine(engine))
        report = verify(deck, options, progress=progress)
    except Exception as exc:  # noqa: BLE001 - shown on screen; the talk goes on
        update([Text(f"docker build {label}: {exc}", style="bold red")], True)
        return
    update(result_lines(report, stages, time.monotonic() - start), True)


def result_lines(report: VerifyReport, stages: list[str], seconds: float) -> list[Text]:
    """The verifier's report as lines: one per stage, then the failing log tail."""
    lines: list[Text] = []
    if not report.engine_available:
        message = report.engine_message or "Docker engine unavailable"
        return [Text(f"docker build: {message}", style="bold red")]
    for result in report.stages:
        if stages and result.stage not in stages:
            continue
        ok = result.status.succeeded
        style = "bold green" if ok else "bold red"
        mark = "✓" if ok else "✗"
        lines.append(Text(f"{mark} stage {result.stage}: {result.status.value} ({result.seconds:.1f}s)", style=style))
        if result.message and not ok:
            lines.append(Text(f"  {result.path}:{result.line}: {result.message}", style="red"))
        if not ok:
            lines += [Text("  " + tail, style="dim") for tail in result.log_tail[-8:]]
    for finding in report.findings:
        if finding.severity is Severity.ERROR:
            lines.append(Text(str(finding), style="red"))
    if lines and report.engine_name:
        lines.append(Text(f"engine: {report.engine_name}", style="dim"))
    if not lines:
        lines.append(Text(f"docker build: nothing built ({seconds:.1f}s)", style="bold yellow"))
    return lines
