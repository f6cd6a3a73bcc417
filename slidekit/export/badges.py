"""Which Dockerfile badge each exported slide carries: built, failed, not verified...

From a fresh verification (``export --verify``) or the cached result of the last ``slidekit verify`` of the
deck's current content. Output (the ``verify:`` summary, warnings) goes through :mod:`slidekit.output`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from slidekit import output
from slidekit.deck.model import Deck
from slidekit.render.html import has_dockerfile
from slidekit.verify.cache import cache_dir
from slidekit.verify.console import cached_console, has_console_checks
from slidekit.verify.console_result import ConsoleResult, ConsoleStatus
from slidekit.verify.engine import selected_engine
from slidekit.verify.run import VerifyOptions, verify
from slidekit.verify.status import slide_statuses
from slidekit.verify.vocab import StageStatus


def verification(deck: Deck, run: bool, engine: str | None = None,
                 ) -> tuple[Mapping[int, StageStatus] | None, Mapping[int, ConsoleResult] | None]:
    """Stage statuses by slide (see :func:`verification_statuses`) and console block verdicts by fence line:
    from a fresh verification (``run``, on ``engine``: ``--engine``, None for the environment's selection),
    else from the cached outputs (None: no console block, or none checked)."""
    if run and not any(has_dockerfile(slide) for slide in deck.slides) and has_console_checks(deck):
        report = verify(deck, VerifyOptions(engine=selected_engine(engine)))  # console blocks only (image=, host)
        _say_console(report.console)
        return None, {c.block_line: c for c in report.console}
    fresh: list[ConsoleResult] = []
    statuses = verification_statuses(deck, run, fresh.extend, engine)
    results = fresh if run else list(cached_console(deck))
    if not results or all(r.status is ConsoleStatus.NOT_CHECKED for r in results):
        return statuses, None
    return statuses, {c.block_line: c for c in results}


def _say_console(results: Sequence[ConsoleResult]) -> None:
    if results:
        counts: dict[str, int] = {}
        for result in results:
            counts[result.status.value] = counts.get(result.status.value, 0) + 1
        output.out("console: " + ", ".join(f"{n} {status}" for status, n in counts.items()))


def verification_statuses(deck: Deck, run: bool,
                          on_console: Callable[[Sequence[ConsoleResult]], None] | None = None,
                          engine: str | None = None) -> Mapping[int, StageStatus] | None:
    """Slide index → stage status, from a fresh verification (``run``, on ``engine``) or the
    cached result of the last one; None when there is none. ``on_console`` gets the
    fresh verification's console verdicts."""
    if run:
        report = verify(deck, VerifyOptions(engine=selected_engine(engine)))
        _say_console(report.console)
        if on_console is not None:
            on_console(report.console)
        if not report.engine_available:
            output.warn(f"--verify: {report.engine_message or 'Docker engine unavailable'}; stages not verified")
        counts: dict[StageStatus, int] = {}
        for stage in report.stages:
            counts[stage.status] = counts.get(stage.status, 0) + 1
        on = f" (engine {report.engine_name})" if report.engine_name else ""
        output.out("verify: " + (", ".join(f"{n} {status.value}" for status, n in counts.items()) or "no Dockerfile") + on)
        cached = cached_statuses(deck)
        if cached is not None:
            return cached
        fresh: dict[int, StageStatus] = {}
        for stage in report.stages:  # fallback: badge the slide holding each stage's FROM
            fresh.setdefault(stage.slide_index, stage.status)
        return fresh
    return cached_statuses(deck)


def cached_statuses(deck: Deck) -> Mapping[int, StageStatus] | None:
    """The statuses of the cached verification of the deck's current content, if any."""
    if not any(has_dockerfile(slide) for slide in deck.slides):
        return None
    folder = cache_dir()
    if not folder.is_dir() or next(folder.glob("*.json"), None) is None:
        return None  # nothing was ever verified here: no context to hash
    try:
        found = slide_statuses(deck)
    except Exception as exc:  # noqa: BLE001 - a broken cache must not stop an export
        output.warn(f"cannot read the cached verification result: {exc}")
        return None
    return found
