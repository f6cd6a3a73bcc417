"""``ctrl+e`` on a console slide: run its transcripts live (trusted decks only) and show the result.

A ``stage=NAME`` block needs that stage's image: the verifier builds it (or
takes it from its cache), then every checked console block of the slide runs
now, never from the output cache, in a new container (``host``: the host's
shell). ``update(lines, done)`` receives the lines to show under the slide.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.text import Text

from slidekit.deck.console import ConsoleBlock
from slidekit.sanitize import clean
from slidekit.deck.model import Deck
from slidekit.verify.console import ConsoleOptions, check_console
from slidekit.verify.console_match import output_lines
from slidekit.verify.console_result import ConsoleResult, ConsoleStatus
from slidekit.verify.engine import connect
from slidekit.verify.model import StageResult
from slidekit.verify.plan import effective_image_map
from slidekit.verify.run import VerifyOptions, verify
from slidekit.verify.vocab import ProgressEvent, describe

Update = Callable[..., None]
_STYLE = {ConsoleStatus.CHECKED: "bold green", ConsoleStatus.DIFFERS: "bold red", ConsoleStatus.ERROR: "bold red"}


def run_console(deck: Deck, blocks: list[ConsoleBlock], update: Update, deck_dir: str) -> None:
    """Build what ``blocks`` need, run them, and report through ``update``."""
    start = time.monotonic()
    stages = sorted({b.target.rpartition(":")[2] for b in blocks if b.kind == "stage"})
    try:
        found: tuple[StageResult, ...] = ()
        if stages:
            def progress(event: ProgressEvent) -> None:
                text = describe(event)
                if text is not None:
                    update([Text(f"[{time.monotonic() - start:4.1f}s] {text}", style="dim")])

            update([Text(f"building {', '.join(stages)} for the console block(s)…", style="bold")])
            report = verify(deck, VerifyOptions(targets=frozenset(stages), console=False), progress=progress)
            found = report.stages
        update([Text(f"running {len(blocks)} console block(s)…", style="bold")])

        def connect_engine() -> tuple[object, str]:
            engine = connect()
            return engine.client, engine.message

        options = ConsoleOptions(Path(deck_dir), True, "", effective_image_map(deck, {}), use_cache=False,
                                 connect=connect_engine)
        results = check_console(deck, found, options, blocks)
    except Exception as exc:  # noqa: BLE001 - shown on screen; the talk goes on
        update([Text(f"console: {exc}", style="bold red")], True)
        return
    update(result_lines(results), True)


def result_lines(results: tuple[ConsoleResult, ...]) -> list[Text]:
    """Per block: its verdict, what ran with its output, and the diff when it differs."""
    lines: list[Text] = []
    for result in results:
        where = f" ({result.target})" if result.target else ""
        took = f" {result.seconds:.1f}s" if result.seconds else ""
        message = f": {result.message}" if result.message and result.status is not ConsoleStatus.CHECKED else ""
        lines.append(Text(clean(f"▶ console{where}: {result.status.label}{took}{message}"),
                          style=_STYLE.get(result.status, "bold yellow")))
        for output in result.outputs:
            lines.append(Text(clean(f"$ {output.command}"), style="bold"))
            lines.extend(Text(clean(line)) for line in output_lines(output.output))  # the one terminal sanitizer
            if output.status:
                lines.append(Text(f"[exit: {output.status}]", style="yellow"))
        if result.status is ConsoleStatus.DIFFERS:
            for line in result.diff.splitlines()[2:]:
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
                lines.append(Text(clean(line), style=style))
    return lines or [Text("console: nothing to run", style="bold yellow")]
