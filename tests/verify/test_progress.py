"""Progress lines: builds, stages and smoke checks, plain (CI logs) and on a terminal (rich)."""

from __future__ import annotations

import io

from slidekit.deck.load import load_deck
from slidekit.verify.progress import PlainProgress, ProgressEvent, for_stream
from slidekit.verify.progress_rich import RichProgress
from slidekit.verify.smoke import run_checks
from slidekit.verify.vocab import CheckStatus, ProgressKind, StageStatus

EVENTS = [
    ProgressEvent(ProgressKind.STATIC),
    ProgressEvent(ProgressKind.BUILD, "Dockerfile", "app"),
    ProgressEvent(ProgressKind.STEP, "Dockerfile", "app", 2, 3, "RUN make"),
    ProgressEvent(ProgressKind.STAGE, "Dockerfile", "app", status=StageStatus.BUILT, seconds=1.25),
    ProgressEvent(ProgressKind.SMOKE, "Dockerfile", "app", text="http"),
    ProgressEvent(ProgressKind.CHECKED, "Dockerfile", "app", text="http", status=CheckStatus.FAILED, seconds=2.0),
    ProgressEvent(ProgressKind.DONE),
]


def test_plain_lines() -> None:
    stream = io.StringIO()
    display = for_stream(stream)
    assert isinstance(display, PlainProgress)
    for event in EVENTS:
        display(event)
    assert stream.getvalue().splitlines() == [
        "slidekit verify: static checks",
        "slidekit verify: building Dockerfile:app",
        "slidekit verify: Dockerfile:app: built (1.2s)",
        "slidekit verify: smoke check Dockerfile:app (http)",
        "slidekit verify: Dockerfile:app: http check failed (2.0s)",
    ]


def test_rich_prints_stage_and_check_verdicts() -> None:
    stream = io.StringIO()
    display = RichProgress(stream)
    for event in EVENTS:
        display(event)
    display.close()
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    assert "✓ Dockerfile:app: built (1.2s)" in lines
    assert "✗ Dockerfile:app: http check failed (2.0s)" in lines


def test_run_checks_reports_each_check() -> None:
    deck = load_deck("---\nchecks:\n  app:\n    exit_code: 0\n---\n\n```dockerfile\nFROM scratch AS app\n```\n", "t.md")
    seen: list[tuple[str, str, bool | None]] = []
    results = run_checks(None, deck, {}, lambda check, df, result: seen.append(
        (check.stage, df, None if result is None else result.passed)))
    assert [r.passed for r in results] == [False]  # the stage did not build: nothing started
    assert seen == [("app", "Dockerfile", False)]


def test_rich_shows_stages_building_side_by_side() -> None:
    from rich.console import Console

    display = RichProgress(io.StringIO())
    display(ProgressEvent(ProgressKind.STEP, "Dockerfile", "left", 1, 2, "RUN sleep 2"))
    display(ProgressEvent(ProgressKind.STEP, "Dockerfile", "right", 2, 2, "RUN make all"))
    shown = io.StringIO()
    Console(file=shown, width=100).print(display.view())
    rows = shown.getvalue().splitlines()
    assert any("Dockerfile:left" in r and "1/2 RUN sleep 2" in r for r in rows)
    assert any("Dockerfile:right" in r and "2/2 RUN make all" in r for r in rows)
    display(ProgressEvent(ProgressKind.STAGE, "Dockerfile", "left", status=StageStatus.BUILT, seconds=2.0))
    shown = io.StringIO()
    Console(file=shown, width=100).print(display.view())
    assert "Dockerfile:left" not in shown.getvalue() and "Dockerfile:right" in shown.getvalue()
    display.close()
