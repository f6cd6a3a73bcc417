"""Pre-process a loaded deck: decide trust, take outputs from the cache, run the
rest (if trusted), store successes, and fold everything into a new Deck.

:func:`slidekit.session.open_deck` calls :func:`preprocess` right after
``load_deck`` for the commands that show slides (render, present and its reloads, export).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slidekit.deck.bounds import MAX_TIMEOUT
from slidekit.deck.model import CommandBlock, Deck, walk
from slidekit.errors import EXIT_FAILED, SlidekitError
from slidekit.limits import bounded

if TYPE_CHECKING:  # imported by preprocess() once a deck has ~~~cmd blocks
    from slidekit.preprocess.apply import Resolution
    from slidekit.preprocess.trust import Trust

DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "SLIDEKIT_EXEC_TIMEOUT"


class PreprocessError(SlidekitError):
    """``--strict`` and a ~~~cmd block failed or was not allowed to run (exit 1)."""

    exit_code = EXIT_FAILED


@dataclass(frozen=True)
class Problem:
    """Something wrong with one block, reported as ``path:line: message``."""

    line: int
    message: str


@dataclass(frozen=True)
class Processed:
    deck: Deck
    #: per-block problems (failures, stderr, not run); any of them fails --strict
    problems: tuple[Problem, ...] = ()
    #: other warnings (user config, cache not writable)
    warnings: tuple[str, ...] = ()
    trust: Trust | None = None
    ran: int = 0
    cached: int = 0


def command_blocks(deck: Deck) -> list[CommandBlock]:
    """Every ~~~cmd block, nested ones included, in deck order."""
    return [block for slide in deck.slides for block in walk(slide.blocks) if isinstance(block, CommandBlock)]


def resolve_timeout(deck: Deck, env: Mapping[str, str]) -> float:
    """``SLIDEKIT_EXEC_TIMEOUT`` over the front matter ``timeout:`` over 10 s."""
    raw = env.get(TIMEOUT_ENV, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not (value > 0 and bounded(value, 0, MAX_TIMEOUT)):
            raise SlidekitError(f"{TIMEOUT_ENV}={raw!r}: expected a positive number of seconds up to {MAX_TIMEOUT:g}")
        return value
    option = deck.meta.options.get("timeout")
    if option is None:
        return DEFAULT_TIMEOUT
    value = float(option)  # type: ignore[arg-type]  # meta.py validated it as a number
    if not value > 0 or value == float("inf"):
        raise SlidekitError("front matter `timeout`: expected a positive number of seconds",
                            deck.path, deck.meta.key_line("timeout"))
    return value


@dataclass(frozen=True)
class _Pending:
    key: str
    command: str
    argv: tuple[str, ...]
    body: str
    lines: tuple[int, ...]


def preprocess(deck: Deck, *, allow_exec: bool = False, refresh: bool = False,
               env: Mapping[str, str] | None = None, home: Path | None = None) -> Processed:
    """Resolve every ~~~cmd block of ``deck``; never raises for a failing command."""
    blocks = command_blocks(deck)
    if not blocks:
        return Processed(deck)
    # boundary: trust, the user's config (PyYAML), subprocesses and the cache load only for a deck with ~~~ blocks
    from slidekit.preprocess import apply, cache, runner  # noqa: PLC0415 - boundary, see above
    from slidekit.preprocess.native import native_resolution  # noqa: PLC0415 - boundary, see above
    from slidekit.preprocess.trust import decide, gather  # noqa: PLC0415 - boundary, see above

    env = os.environ if env is None else env
    facts = gather(deck.path, allow_exec, env, home, tuple(block.command for block in blocks))
    trust = decide(facts)
    deck_dir = None if facts.stdin else Path(deck.path).resolve().parent
    warnings = list(facts.config_warnings)
    resolutions: dict[int, Resolution] = {}
    pending: dict[str, _Pending] = {}
    cached = 0
    for block in blocks:
        line = block.span.first
        native = native_resolution(block.command, block.body, block.body_start)
        if native is not None:  # drawn in process: no command runs, trusted or not
            resolutions[line] = native
            continue
        try:
            argv = runner.split_command(block.command)
        except ValueError as exc:
            resolutions[line] = apply.bad_command(block.command, str(exc))
            continue
        key = cache.cache_key(block.command, argv, block.body)
        entry = None if deck_dir is None else cache.load(deck_dir, key, block.command, block.body)
        if entry is not None and not (refresh and trust.trusted):
            resolutions[line] = apply.from_cache(entry, trust.trusted)
            cached += 1
        elif not trust.trusted:
            resolutions[line] = apply.not_run(trust.notice)
        elif key in pending:  # the same block twice: run it once
            same = pending[key]
            pending[key] = _Pending(key, same.command, same.argv, same.body, same.lines + (line,))
        else:
            pending[key] = _Pending(key, block.command, argv, block.body, (line,))
    if pending:
        warnings.extend(_run_pending(list(pending.values()), resolve_timeout(deck, env), deck_dir, resolutions))
    problems = tuple(Problem(b.span.first, r.problem) for b in blocks
                     if (r := resolutions[b.span.first]).problem is not None)
    return Processed(apply.apply_results(deck, resolutions), problems, tuple(dict.fromkeys(warnings)),
                     trust, len(pending), cached)


def _run_pending(todo: list[_Pending], timeout: float, deck_dir: Path | None,
                 resolutions: dict[int, Resolution]) -> list[str]:
    from slidekit.preprocess import apply, cache, runner  # noqa: PLC0415 - boundary, see preprocess()
    jobs = [runner.Job(p.argv, runner.stdin_text(p.body), timeout, deck_dir) for p in todo]
    warnings: list[str] = []
    for item, result in zip(todo, runner.run_all(jobs)):
        resolution = apply.from_run(result, timeout)
        for line in item.lines:
            resolutions[line] = resolution
        if result.status == runner.OK and deck_dir is not None:
            entry = cache.new_entry(item.command, item.argv, item.body, result.stdout, result.stderr, 0)
            warning = cache.store(deck_dir, item.key, entry)
            if warning:
                warnings.append(warning)
    return warnings
