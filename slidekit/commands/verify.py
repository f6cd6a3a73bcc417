"""``slidekit verify DECK``: prove the deck's Dockerfile code builds, stage by stage."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from slidekit import output
from slidekit.errors import EXIT_DOCKER_UNAVAILABLE, EXIT_FAILED, SlidekitError
from slidekit.files import refuse_overwriting_deck, write_atomic
from slidekit.session import open_deck
from slidekit.verify import progress as progress_mod
from slidekit.verify.assemble import has_blocks_to_verify
from slidekit.verify.console_result import ConsoleStatus
from slidekit.verify.model import EXIT_BASE_MISSING, VerifyReport
from slidekit.verify.report import to_dict, to_github, to_junit
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
@click.argument("decks", metavar="DECK...", nargs=-1, required=True)
@click.option("--context", type=click.Path(path_type=Path), help="Build context folder (default: front matter `context:`, else the deck's folder).")
@click.option("--image-map", "image_maps", multiple=True, metavar="NAME=REF", help="Substitute a base image (repeatable; wins over front matter `image_map:`).")
@click.option("--target", "targets", multiple=True, metavar="STAGE", help="Build only this stage and what it needs (repeatable; `FILE:STAGE` picks a Dockerfile).")
@click.option("--no-cache", is_flag=True, help="Ignore cached results and build without the engine's layer cache.")
@click.option("--run", "run_checks", is_flag=True, help="Also run the smoke checks of front matter `checks:` against the built images (console blocks always run).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True, help="Report format on stdout.")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Also write a JUnit XML report (a testcase per stage).")
@click.option("--no-hadolint", is_flag=True, help="Skip hadolint even when it is installed.")
@click.option("--builder", "builder", type=click.Choice([b.value for b in Builder]), default=None,
              help="Engine builder: buildkit, classic, or auto (default: front matter `builder:`, else auto = BuildKit when the engine has it).")
@click.option("--allow-empty", is_flag=True, help="A deck without Dockerfile code blocks is skipped instead of an error (pre-commit).")
@click.option("--static", "static_only", is_flag=True,
              help="Run only the static checks (BuildKit's, slidekit's, hadolint's): no engine, nothing built; exit 1 on an error finding.")
@click.option("--accept", is_flag=True,
              help="Write what differing ```console blocks really printed back into the deck (atomically; only those lines change).")
@click.option("--allow-exec", is_flag=True, help="Run ```console host blocks even if the deck is not trusted otherwise.")
def command(decks: tuple[str, ...], context: Path | None, image_maps: tuple[str, ...], targets: tuple[str, ...],
            no_cache: bool, run_checks: bool, fmt: str, junit: Path | None, no_hadolint: bool, builder: str | None,
            allow_empty: bool, static_only: bool, accept: bool, allow_exec: bool) -> int:
    """Verify the Dockerfile code blocks of DECK (or several decks) with a real Docker Engine.

    Static checks first, then every stage is built (BuildKit when the engine has
    it, independent stages at once; else the classic builder); an unchanged deck
    is answered from the cache. Then the ```console blocks run in their stage
    images (or `image=`, or `host` in a trusted deck) and their output is
    compared with the slide; `--accept` writes the real output back. `--static`
    stops after the static checks (pre-commit, fast CI): no Docker engine is needed.

    \b
    Exit codes: 0 verified, 1 verification failed, 2 usage or input error,
                3 Docker engine unavailable (static checks still reported),
                4 a base image is neither local nor pullable (and nothing else failed).
    """
    mapping = parse_image_maps(image_maps)
    if static_only and run_checks:
        raise SlidekitError("--static and --run: smoke checks need built images; drop one of them")
    if junit is not None:
        for path in decks:
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
    options: dict[str, Any] = {"context": context, "image_map": mapping, "targets": set(targets) or None,
                               "use_cache": not no_cache, "run_checks": run_checks, "hadolint": not no_hadolint,
                               "builder_kind": Builder(builder) if builder else None, "allow_exec": allow_exec}
    if static_only:
        options = {"context": context, "hadolint": not no_hadolint, "static_only": True}
    reports: list[VerifyReport] = []
    for path in decks:
        report = _verify_one(path, options, allow_empty=allow_empty)
        if report is not None:
            reports.append(write_accepted(report) if accept else report)
    _emit(reports, fmt, junit)
    return worst_exit([r.exit_code for r in reports])


def write_accepted(report: VerifyReport) -> VerifyReport:
    """``--accept``: write the differing console blocks' real output into the deck and say which lines
    changed; those blocks then count as checked."""
    differing = [c for c in report.console if c.status is ConsoleStatus.DIFFERS and c.outputs]
    if not differing:
        return report
    from slidekit.deck.console import console_blocks  # noqa: PLC0415 - boundary: only --accept edits a deck
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


def worst_exit(codes: list[int]) -> int:
    """Several decks: a failure (1) outranks a missing base image (4), which outranks
    no engine (3); 0 only when every deck is 0."""
    for code in (EXIT_FAILED, EXIT_BASE_MISSING, EXIT_DOCKER_UNAVAILABLE):
        if code in codes:
            return code
    return max(codes, default=0)


def _verify_one(
    path: str, options: dict[str, Any], *, allow_empty: bool
) -> VerifyReport | None:
    opened = open_deck(path, preprocess=False)  # ~~~ blocks are never needed to verify
    if allow_empty and not has_blocks_to_verify(opened):
        return None  # only "nothing to verify" is skipped: malformed attributes still fail (exit 2)
    if options.get("static_only"):
        from slidekit.verify.static_only import verify_static  # noqa: PLC0415 - boundary: a warm verify skips the rules

        return verify_static(opened, context=options["context"], hadolint=options["hadolint"])
    display = progress_mod.for_stream(output.stderr())
    try:
        from slidekit.verify.run import verify_deck  # noqa: PLC0415 - boundary: --static never loads the orchestrator or engine

        return verify_deck(opened, progress=display, **options)
    finally:
        display.close()


def _emit(reports: list[VerifyReport], fmt: str, junit: Path | None) -> None:
    if fmt == "json" and len(reports) != 1:
        output.out(json.dumps([to_dict(r) for r in reports], indent=2, ensure_ascii=False))
    else:
        for report in reports:
            output.out(FORMATS[fmt](report), end="")
    if junit is not None:
        write_atomic(junit, _junit(reports, to_junit))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # The runner reads workflow commands from stdout and stderr; keep JSON on stdout parseable.
        emit = output.err if fmt == "json" else output.out
        for report in reports:
            for line in to_github(report):
                emit(line)


def _junit(reports: list[VerifyReport], to_junit: Callable[[VerifyReport], str]) -> str:
    """One document: the test suites of every deck under one <testsuites>."""
    import xml.etree.ElementTree as ET  # noqa: PLC0415 - boundary: a warm verify never loads XML (test_warm_path)

    if len(reports) == 1:
        return to_junit(reports[0])
    root = ET.Element("testsuites")
    for report in reports:
        document = ET.fromstring(to_junit(report))
        root.extend(document if document.tag == "testsuites" else [document])
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in root)))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
