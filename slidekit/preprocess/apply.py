"""Pure pieces: what each ``~~~cmd`` block becomes (:class:`Resolution`), and
:func:`apply_results`, which folds resolutions into a new (frozen) Deck.
"""

from __future__ import annotations

import dataclasses
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from slidekit.deck.model import BlockQuote, CommandBlock, Deck, ListBlock, Slide
from slidekit.deck.model import Block
from slidekit.preprocess import runner
from slidekit.preprocess.cache import CacheEntry
from slidekit.preprocess.runner import RunResult

#: what to install when a well-known pre-processor is missing
INSTALL_HINTS: dict[str, str] = {
    "graph-easy": "install Debian package libgraph-easy-perl",
    "dot": "install Debian package graphviz",
    "figlet": "install Debian package figlet",
    "toilet": "install Debian package toilet",
    "chafa": "install Debian package chafa",
    "cowsay": "install Debian package cowsay",
    "boxes": "install Debian package boxes",
}
TAIL_LINES = 3
TAIL_CHARS = 300


@dataclass(frozen=True)
class Resolution:
    """What one block becomes: ``output`` replaces it (None = show the source),
    ``notice`` is shown with it, ``problem`` (if any) is warned about on stderr
    and fails ``--strict``."""

    output: str | None = None
    notice: str | None = None
    failed: bool = False
    problem: str | None = None


def tail(text: str) -> str:
    """The last few non-empty lines of ``text`` on one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = " | ".join(lines[-TAIL_LINES:])
    return joined if len(joined) <= TAIL_CHARS else "…" + joined[-TAIL_CHARS:]


def _program(result: RunResult) -> str:
    return result.argv[0] if result.argv else "?"


def _stderr_notice(stderr: str) -> str | None:
    return f"stderr: {tail(stderr)}" if stderr.strip() else None


def _ok(result: RunResult, timeout: float) -> Resolution:
    notice = _stderr_notice(result.stderr)
    return Resolution(result.stdout, notice, False, f"{_program(result)} wrote to {notice}" if notice else None)


def _failed(notice: str) -> Resolution:
    return Resolution(None, notice, True, notice)


def _exit(result: RunResult, timeout: float) -> Resolution:
    status = result.exit_status if result.exit_status is not None else -1
    if status < 0:
        try:
            what = f"was killed by {signal.Signals(-status).name}"
        except ValueError:
            what = f"was killed by signal {-status}"
    else:
        what = f"exited with status {status}"
    detail = tail(result.stderr)
    return _failed(f"{_program(result)} {what}" + (f": {detail}" if detail else " (no stderr)"))


def _missing(result: RunResult, timeout: float) -> Resolution:
    program = _program(result)
    hint = INSTALL_HINTS.get(program.rsplit("/", 1)[-1])
    return _failed(f"not run: command `{program}` not found" + (f" — {hint}" if hint else ""))


def _timeout(result: RunResult, timeout: float) -> Resolution:
    return _failed(f"{_program(result)} timed out after {timeout:g} s and was killed "
                   "(raise `timeout:` in the front matter or SLIDEKIT_EXEC_TIMEOUT)")


def _error(result: RunResult, timeout: float) -> Resolution:
    return _failed(f"not run: {result.error}")


_FROM_STATUS: dict[str, Callable[[RunResult, float], Resolution]] = {
    runner.OK: _ok,
    runner.EXIT: _exit,
    runner.MISSING: _missing,
    runner.TIMEOUT: _timeout,
    runner.ERROR: _error,
}


def from_run(result: RunResult, timeout: float) -> Resolution:
    """A finished run → output (exact stdout) or a failure notice."""
    return _FROM_STATUS[result.status](result, timeout)


def from_cache(entry: CacheEntry, trusted: bool) -> Resolution:
    """A cache hit: the stored stdout, exactly. On an untrusted deck (or for a
    deck that cannot run commands) the notice says the output is cached."""
    stderr = _stderr_notice(entry.stderr)
    parts = ([] if trusted else ["cached output (this deck does not run commands)"]) + ([stderr] if stderr else [])
    problem = f"{entry.argv[0] if entry.argv else entry.command} wrote to {stderr} (cached)" if stderr else None
    return Resolution(entry.stdout, "; ".join(parts) or None, False, problem)


def not_run(notice: str) -> Resolution:
    """Not allowed to run and nothing cached: the source plus how to allow it."""
    return Resolution(None, notice, False, notice)


def bad_command(command: str, reason: str) -> Resolution:
    return _failed(f"cannot parse command `{command}`: {reason}")


# --------------------------------------------------------------------------- deck


def apply_results(deck: Deck, results: Mapping[int, Resolution]) -> Deck:
    """A new Deck where each CommandBlock whose first line is a key of ``results``
    carries that resolution (nested blocks in lists and quotes included)."""
    if not results:
        return deck
    slides = tuple(_slide(slide, results) for slide in deck.slides)
    return dataclasses.replace(deck, slides=slides)


def _slide(slide: Slide, results: Mapping[int, Resolution]) -> Slide:
    blocks = _blocks(slide.blocks, results)
    return slide if blocks == slide.blocks else dataclasses.replace(slide, blocks=blocks)


def _blocks(blocks: tuple[Block, ...], results: Mapping[int, Resolution]) -> tuple[Block, ...]:
    return tuple(_block(block, results) for block in blocks)


def _block(block: Block, results: Mapping[int, Resolution]) -> Block:
    if isinstance(block, CommandBlock):
        found = results.get(block.span.first)
        if found is None:
            return block
        return dataclasses.replace(block, output=found.output, notice=found.notice, failed=found.failed)
    if isinstance(block, BlockQuote):
        return dataclasses.replace(block, blocks=_blocks(block.blocks, results))
    if isinstance(block, ListBlock):
        items = tuple(dataclasses.replace(item, blocks=_blocks(item.blocks, results)) for item in block.items)
        return dataclasses.replace(block, items=items)
    return block


