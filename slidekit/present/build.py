"""``ctrl+e`` on a Dockerfile slide: build that slide's stage with the verifier, live.

Runs in the presenter's background thread; ``update(lines, done)`` receives the
lines to show under the slide as the build progresses.
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable

from rich.text import Text

from slidekit.deck.model import CodeBlock, Deck

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


def _call_verifier(deck: Deck, targets: set[str] | None, on_step: Callable[[int, int, str], None]):  # type: ignore[no-untyped-def]
    from slidekit.verify.run import verify_deck

    params = inspect.signature(verify_deck).parameters
    kwargs: dict[str, object] = {}
    if "targets" in params:
        kwargs["targets"] = targets
    for name in ("on_step", "progress", "on_progress"):
        if name in params:
            kwargs[name] = on_step
            break
    return verify_deck(deck, **kwargs)


def run_stage(deck: Deck, blocks: list[CodeBlock], update: Update) -> None:
    """Build the stage(s) of ``blocks`` and report progress and the result through ``update``."""
    stages = slide_stages(blocks)
    label = ", ".join(stages) if stages else "the Dockerfile"
    start = time.monotonic()
    log: list[str] = []

    def on_step(number: int, total: int, text: str) -> None:
        log.append(f"step {number}/{total}: {text}")
        lines = [Text(f"docker build {label}: {time.monotonic() - start:.0f}s", style="bold")]
        lines += [Text(line, style="dim") for line in log[-6:]]
        update(lines)

    update([Text(f"docker build {label}: starting…", style="bold")])
    try:
        report = _call_verifier(deck, set(stages) or None, on_step)
    except ImportError:
        update([Text("docker build: the verifier is not available in this installation", style="bold red")], True)
        return
    except Exception as exc:  # noqa: BLE001 - shown on screen; the talk goes on
        update([Text(f"docker build {label}: {type(exc).__name__}: {exc}", style="bold red")], True)
        return
    update(result_lines(report, stages, time.monotonic() - start), True)


def result_lines(report: object, stages: list[str], seconds: float) -> list[Text]:
    """The verifier's report as lines: one per stage, then the failing log tail."""
    lines: list[Text] = []
    if not getattr(report, "engine_available", True):
        message = getattr(report, "engine_message", "") or "Docker engine unavailable"
        return [Text(f"docker build: {message}", style="bold red")]
    for result in getattr(report, "stages", ()):
        if stages and result.stage not in stages:
            continue
        value = result.status.value
        ok = value == "built"
        style = "bold green" if ok else "bold red"
        mark = "✓" if ok else "✗"
        lines.append(Text(f"{mark} stage {result.stage}: {value} ({result.seconds:.1f}s)", style=style))
        if result.message and not ok:
            lines.append(Text(f"  {result.path}:{result.line}: {result.message}", style="red"))
        if not ok:
            lines += [Text("  " + tail, style="dim") for tail in result.log_tail[-8:]]
    for finding in getattr(report, "findings", ()):
        if finding.severity.value == "error":
            lines.append(Text(str(finding), style="red"))
    if not lines:
        lines.append(Text(f"docker build: nothing built ({seconds:.1f}s)", style="bold yellow"))
    return lines
