"""``slidekit export``: the command-line wrapper of :mod:`slidekit.export`."""

from __future__ import annotations

import time
from pathlib import Path

import click

from slidekit import output
from slidekit.commands._options import engine_option, preprocess_options
from slidekit.errors import SlidekitError
from slidekit.export.page import ExportOptions, default_output, export_once, summary
from slidekit.export.pdf import write_pdf
from slidekit.export.watch import watch_loop
from slidekit.files import refuse_overwriting_deck, refuse_same_outputs
from slidekit.verify.engine import selected_engine


@click.command("export")
@click.argument("deck", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False),
              help="HTML file to write (default: the deck's name with .html).")
@click.option("--theme", help="Theme name or JSON file (default: the deck's `theme:`).")
@click.option("--allow-html", is_flag=True, help="Keep raw HTML from the deck (filtered; scripts never run).")
@click.option("--verify", is_flag=True, help="Verify the deck's Dockerfile first and badge each slide with its status.")
@click.option("--pdf", is_flag=True, help="Also print the deck to a PDF next to the HTML (headless Chromium).")
@click.option("--watch", is_flag=True, help="Re-export whenever the deck changes.")
@click.option("--allow-path", "allow_paths", multiple=True, metavar="DIR",
              help="Also embed images from DIR (repeatable; default: only the deck's folder).")
@engine_option
@preprocess_options
def command(deck: str, out: str | None, theme: str | None, allow_html: bool, verify: bool, pdf: bool,
            watch: bool, engine: str | None, allow_exec: bool, strict: bool, refresh: bool,
            allow_paths: tuple[str, ...]) -> int:
    """Export DECK to one self-contained HTML file that works offline.

    \b
    Keys: → ↓ Space PageDown next · ← ↑ Shift+Space PageUp previous · Home/End
    digits+Enter jump · o/Esc overview · s/p speaker window · f fullscreen
    b blank · ? help.  Deep link: deck.html#/N opens slide N (counted from 1).
    """
    target = Path(out) if out else default_output(deck)
    for path in (target, *([target.with_suffix(".pdf")] if pdf else [])):
        refuse_overwriting_deck(deck, path, "-o")
    refuse_same_outputs(("HTML", target), *([("PDF", target.with_suffix(".pdf"))] if pdf else []))
    if watch and deck == "-":
        raise SlidekitError("--watch needs a deck file, not stdin")
    if engine is not None:
        selected_engine(engine)  # an unknown context is an error now, not after rendering
    options = ExportOptions(theme=theme, allow_html=allow_html, verify=verify, allow_exec=allow_exec, strict=strict,
                            refresh=refresh, engine=engine, allow_paths=allow_paths)
    started = time.perf_counter()
    result = export_once(deck, target, options)
    output.out(summary(target, result, time.perf_counter() - started))
    if pdf:
        pdf_path = target.with_suffix(".pdf")
        write_pdf(target, pdf_path)
        output.out(f"exported {pdf_path}")
    if watch:
        watch_loop(deck, target, options, pdf=pdf)
    return 0
