"""``slidekit verify DECK``: prove the deck's Dockerfile code builds, stage by stage."""

from __future__ import annotations

import os
from pathlib import Path

import click

from slidekit import output
from slidekit.commands.common import open_deck, preprocess_options
from slidekit.errors import SlidekitError
from slidekit.files import write_atomic
from slidekit.verify.model import VerifyReport


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
@click.argument("deck", metavar="DECK")
@click.option("--context", type=click.Path(path_type=Path), help="Build context folder (default: front matter `context:`, else the deck's folder).")
@click.option("--image-map", "image_maps", multiple=True, metavar="NAME=REF", help="Substitute a base image (repeatable; wins over front matter `image_map:`).")
@click.option("--target", "targets", multiple=True, metavar="STAGE", help="Build only this stage and what it needs (repeatable; `FILE:STAGE` picks a Dockerfile).")
@click.option("--no-cache", is_flag=True, help="Ignore cached results and build without the engine's layer cache.")
@click.option("--run", "run_checks", is_flag=True, help="Also run the smoke checks of front matter `checks:` against the built images.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True, help="Report format on stdout.")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Also write a JUnit XML report (a testcase per stage).")
@click.option("--no-hadolint", is_flag=True, help="Skip hadolint even when it is installed.")
@preprocess_options
def command(deck: str, context: Path | None, image_maps: tuple[str, ...], targets: tuple[str, ...], no_cache: bool,
            run_checks: bool, fmt: str, junit: Path | None, no_hadolint: bool, allow_exec: bool, strict: bool) -> int:
    """Verify DECK's Dockerfile code blocks with a real Docker Engine.

    Static checks first, then every stage is built (the SDK's classic builder);
    an unchanged deck is answered from the cache.

    \b
    Exit codes: 0 verified, 1 verification failed, 2 usage or input error,
                3 Docker engine unavailable (static checks still reported).
    """
    from slidekit.verify import progress as progress_mod
    from slidekit.verify.run import verify_deck

    mapping = parse_image_maps(image_maps)
    if context is not None and not context.is_dir():
        raise SlidekitError("--context: not a directory", str(context))
    opened = open_deck(deck, allow_exec=allow_exec, strict=strict)
    display = progress_mod.for_stream(output.stderr())
    try:
        report = verify_deck(opened, context=context, image_map=mapping, targets=set(targets) or None,
                             use_cache=not no_cache, run_checks=run_checks, progress=display, hadolint=not no_hadolint)
    finally:
        display.close()
    _emit(report, fmt, junit)
    return report.exit_code


def _emit(report: VerifyReport, fmt: str, junit: Path | None) -> None:
    from slidekit.verify.report import to_github, to_junit

    output.out(FORMATS[fmt](report), end="")
    if junit is not None:
        write_atomic(junit, to_junit(report))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in to_github(report):
            output.out(line)
