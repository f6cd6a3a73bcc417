"""``slidekit verify DECK``: prove the deck's Dockerfile code builds, stage by stage."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO, cast

import click

from slidekit import output
from slidekit.commands._options import engine_option
from slidekit.deck.model import Deck
from slidekit.deck.console import console_blocks
from slidekit.errors import SlidekitError
from slidekit.files import refuse_overwriting_deck, write_atomic
from slidekit.session import open_deck
from slidekit.verify import progress as progress_mod
from slidekit.verify.assemble import has_blocks_to_verify
from slidekit.verify.cancel import Cancel
from slidekit.verify.console_result import ConsoleStatus
from slidekit.verify.many import expand_paths, run_decks, schedule, share_keys, worst_exit
from slidekit.verify.model import VerifyReport
from slidekit.verify.progress import PlainProgress, ProgressEvent
from slidekit.verify.report import summary, to_github, to_json_many, to_junit, to_junit_many, to_text_many
from slidekit.verify.vocab import Builder


def parse_image_maps(values: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        name, eq, ref = value.partition("=")
        if not eq or not name.strip() or not ref.strip():
            raise SlidekitError(f"--image-map {value!r}: expected NAME=REF (e.g. python:3.12=mirror.local/python:3.12)")
        mapping[name.strip()] = ref.strip()
    return mapping


FORMATS = {
    "text": lambda report: __import__("slidekit.verify.report", fromlist=["to_text"]).to_text(report),
    "json": lambda report: __import__("slidekit.verify.report", fromlist=["to_json"]).to_json(report),
}


@click.command("verify")
@click.argument("decks", metavar="DECK...|DIR", nargs=-1, required=True)
@click.option("--context", type=click.Path(path_type=Path), help="Build context folder (default: front matter `context:`, else the deck's folder).")
@click.option("--image-map", "image_maps", multiple=True, metavar="NAME=REF", help="Substitute a base image (repeatable; wins over front matter `image_map:`).")
@click.option("--target", "targets", multiple=True, metavar="STAGE", help="Build only this stage and what it needs (repeatable; `FILE:STAGE` picks a Dockerfile).")
@click.option("--no-cache", is_flag=True, help="Ignore cached results and build without the engine's layer cache.")
@click.option("--run", "run_checks", is_flag=True, help="Also run the smoke checks of front matter `checks:` against the built images (console blocks always run).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True, help="Report format on stdout.")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Also write a JUnit XML report (a testcase per stage; several decks: a testsuite per deck).")
@click.option("--no-hadolint", is_flag=True, help="Skip hadolint even when it is installed.")
@click.option("--builder", "builder", type=click.Choice([b.value for b in Builder]), default=None,
              help="Engine builder: buildkit, classic, or auto (default: front matter `builder:`, else auto = BuildKit when the engine has it).")
@click.option("--allow-empty", is_flag=True, help="A deck without Dockerfile code blocks is skipped instead of an error (pre-commit).")
@click.option("--static", "static_only", is_flag=True,
              help="Run only the static checks (BuildKit's, slidekit's, hadolint's): no engine, nothing built; exit 1 on an error finding.")
@click.option("--accept", is_flag=True,
              help="Write what differing ```console blocks really printed back into the deck (atomically; only those lines change).")
@click.option("--allow-host", "allow_exec", is_flag=True,
              help="Run ```console host blocks even if the deck is not trusted otherwise (execute bits, trusted_decks).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, metavar="N",
              help="Verify N decks at a time.")
@engine_option
def command(decks: tuple[str, ...], context: Path | None, image_maps: tuple[str, ...], targets: tuple[str, ...],
            no_cache: bool, run_checks: bool, fmt: str, junit: Path | None, no_hadolint: bool, builder: str | None,
            allow_empty: bool, static_only: bool, accept: bool, allow_exec: bool, jobs: int, engine: str | None) -> int:
    """Verify the Dockerfile code blocks of DECK (or several decks, or the *.md decks
    under DIR) with a real Docker Engine.

    Static checks first, then every stage is built (BuildKit when the engine has
    it, independent stages at once; else the classic builder); an unchanged deck
    is answered from the cache. Then the ```console blocks run in their stage
    images (or `image=`, or `host` in a trusted deck) and their output is
    compared with the slide; `--accept` writes the real output back. `--static`
    stops after the static checks (pre-commit, fast CI): no Docker engine is
    needed. Several decks give one combined report (JSON schema
    slidekit.verify/2, a JUnit testsuite per deck); -j N verifies N decks at a time.

    \b
    Exit codes: 0 verified, 1 verification failed, 2 usage or input error,
                3 Docker engine unavailable (static checks still reported),
                4 a base image is neither local nor pullable (and nothing else failed).
                Several decks: the worst, in the order 1, 4, 3, 0.
    """
    mapping = parse_image_maps(image_maps)
    if static_only and run_checks:
        raise SlidekitError("--static and --run: smoke checks need built images; drop one of them")
    paths, several = expand_paths(decks)
    if junit is not None:
        for path, _ in paths:
            refuse_overwriting_deck(path, junit, "--junit")
        folder = junit.parent if str(junit.parent) else Path(".")
        if not folder.is_dir():  # say so now, not after minutes of building
            raise SlidekitError(f"--junit: folder {folder} does not exist", str(junit))
    if accept and static_only:
        raise SlidekitError("--static and --accept: console blocks run only when images are built; drop one of them")
    if accept and "-" in decks:
        raise SlidekitError("--accept: a deck read from stdin cannot be written back; pass a file")
    if context is not None and not context.is_dir():
        raise SlidekitError("--context: not a directory", str(context))
    options: dict[str, Any] = {"context": context, "hadolint": not no_hadolint, "static_only": True}
    if not static_only:  # an unknown context or a malformed URL: exit 2 before anything runs
        from slidekit.verify.engine import selected_engine  # noqa: PLC0415 - boundary: --static never loads it

        options = {"context": context, "image_map": mapping, "targets": set(targets) or None,
                   "use_cache": not no_cache, "run_checks": run_checks, "hadolint": not no_hadolint,
                   "builder_kind": Builder(builder) if builder else None, "allow_exec": allow_exec,
                   "engine": selected_engine(engine)}
    opened = _open_all(paths, allow_empty=allow_empty, console=not static_only)
    started = time.monotonic()
    if several and not static_only:
        reports = _verify_many(opened, options, jobs)
    else:
        reports = [_verify_one(deck, options) for deck in opened]
    if accept:
        reports = [write_accepted(report) for report in reports]
    code = worst_exit([r.exit_code for r in reports])
    if several:
        _emit_many(reports, fmt, junit, code, time.monotonic() - started, jobs)
    else:
        _emit(reports, fmt, junit)
    return code


def write_accepted(report: VerifyReport) -> VerifyReport:
    """``--accept``: write the differing console blocks' real output into the deck and say which lines
    changed; those blocks then count as checked."""
    differing = [c for c in report.console if c.status is ConsoleStatus.DIFFERS and c.outputs]
    if not differing:
        return report
    from slidekit.verify.console_accept import accept  # noqa: PLC0415 - boundary: only --accept edits a deck

    path = Path(report.deck_path)
    data = path.read_bytes()
    new, changes = accept(data, console_blocks(open_deck(report.deck_path, preprocess=False)), differing)
    if new != data:
        write_atomic(path, new)
    for change in changes:
        output.err(f"accepted: {change.describe(report.deck_path)}")
    fixed = {c.block_line for c in differing}
    return replace(report, console=tuple(
        replace(c, status=ConsoleStatus.CHECKED, message="real output written into the deck (--accept)")
        if c.block_line in fixed else c for c in report.console))


def _open_all(paths: list[tuple[str, bool]], *, allow_empty: bool, console: bool = True) -> list[Deck]:
    """Every deck read and parsed before anything is built (a bad one is exit 2 up front);
    decks with nothing to verify (no Dockerfile; with ``console``, no console block to check either)
    are dropped when found in a folder or with --allow-empty."""
    out = []
    for path, in_folder in paths:
        deck = open_deck(path, preprocess=False)  # ~~~ blocks are never needed to verify
        checkable = console and any(block.checked for block in console_blocks(deck))
        if (allow_empty or in_folder) and not has_blocks_to_verify(deck) and not checkable:
            continue  # only "nothing to verify" is skipped: malformed attributes still fail (exit 2)
        out.append(deck)
    return out


def _verify_one(deck: Deck, options: dict[str, Any]) -> VerifyReport:
    if options.get("static_only"):
        from slidekit.verify.static_only import verify_static  # noqa: PLC0415 - boundary: a warm verify skips the rules

        return verify_static(deck, context=options["context"], hadolint=options["hadolint"])
    display = progress_mod.for_stream(output.stderr())
    try:
        from slidekit.verify.run import verify_deck  # noqa: PLC0415 - boundary: --static never loads the orchestrator or engine

        return verify_deck(deck, progress=display, **options)
    finally:
        display.close()


def _verify_many(decks: list[Deck], options: dict[str, Any], jobs: int) -> list[VerifyReport]:
    """Verify ``decks`` ``jobs`` at a time (see :mod:`slidekit.verify.many`); progress lines
    on stderr carry the deck's name."""
    from slidekit.verify.run import verify_deck  # noqa: PLC0415 - boundary: --static never loads the orchestrator or engine

    lock = threading.Lock()
    stream = output.stderr()
    cancel_of: dict[str, Cancel] = {}

    def say(deck: Deck, text: str) -> None:
        with lock:
            stream.write(f"slidekit verify: [{deck.path}] {text}\n")
            stream.flush()

    def task(deck: Deck) -> Callable[[Cancel], VerifyReport]:
        display = PlainProgress(cast(TextIO, _Prefixed(stream, f"[{deck.path}] ", lock)))

        def emit(event: ProgressEvent) -> None:
            if cancel_of[deck.path].is_set():
                raise KeyboardInterrupt  # Ctrl-C in the main thread: stop this build and clean up
            display(event)

        def run(cancel: Cancel) -> VerifyReport:
            cancel_of[deck.path] = cancel
            report = verify_deck(deck, progress=emit, cancel=cancel, **options)
            say(deck, summary(report))
            return report

        return run

    keys = [share_keys(deck, options["image_map"]) for deck in decks]
    return run_decks([task(deck) for deck in decks], schedule(keys), jobs,
                     on_start=lambda index: say(decks[index], "started"))


class _Prefixed:
    """A text stream that puts ``prefix`` after the ``slidekit verify: `` of each line, under ``lock``."""

    def __init__(self, stream: TextIO, prefix: str, lock: Any) -> None:
        self.stream, self.prefix, self.lock = stream, prefix, lock

    def write(self, text: str) -> int:
        head = "slidekit verify: "
        lines = [head + self.prefix + line[len(head):] if line.startswith(head) else self.prefix + line
                 for line in text.splitlines(keepends=True)]
        with self.lock:
            return self.stream.write("".join(lines))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False


def _emit(reports: list[VerifyReport], fmt: str, junit: Path | None) -> None:
    """One DECK argument: its report (none when --allow-empty skipped it)."""
    for report in reports:
        output.out(FORMATS[fmt](report), end="")
        if junit is not None:
            write_atomic(junit, to_junit(report))
    _annotate(reports, fmt)


def _emit_many(reports: list[VerifyReport], fmt: str, junit: Path | None, code: int, seconds: float, jobs: int) -> None:
    render = to_json_many if fmt == "json" else to_text_many
    output.out(render(reports, code, seconds, jobs), end="")
    if junit is not None:
        write_atomic(junit, to_junit_many(reports, seconds))
    _annotate(reports, fmt)


def _annotate(reports: list[VerifyReport], fmt: str) -> None:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # The runner reads workflow commands from stdout and stderr; keep JSON on stdout parseable.
        emit = output.err if fmt == "json" else output.out
        for report in reports:
            for line in to_github(report):
                emit(line)
