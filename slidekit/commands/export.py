"""``slidekit export``: the deck as one self-contained, offline HTML file (optionally a PDF)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slidekit import output
from slidekit.commands.common import deck_dir, open_deck, open_theme, preprocess_options
from slidekit.errors import SlidekitError
from slidekit.files import refuse_same_outputs, write_atomic

if TYPE_CHECKING:  # the renderer is imported when exporting (fast `--help`)
    from slidekit.deck.model import Deck
    from slidekit.render.html import HtmlResult

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _status_label(status: object) -> str:
    return str(getattr(status, "value", status))


def verification_statuses(deck: Deck, run: bool) -> Mapping[int, str] | None:
    """Slide index → stage status label, from a fresh verification (``run``) or the
    cached result of the last one; None when there is none (or the verifier is absent)."""
    if run:
        try:
            from slidekit.verify.run import verify_deck
        except ImportError:
            raise SlidekitError("--verify: the verifier is not available in this installation") from None
        report = verify_deck(deck, context=None, image_map={})
        if not report.engine_available:
            output.warn(f"--verify: {report.engine_message or 'Docker engine unavailable'}; stages not verified")
        counts: dict[str, int] = {}
        for stage in report.stages:
            label = _status_label(stage.status)
            counts[label] = counts.get(label, 0) + 1
        output.out("verify: " + (", ".join(f"{n} {label}" for label, n in counts.items()) or "no Dockerfile"))
        cached = _cached_statuses(deck)
        if cached is not None:
            return cached
        fresh: dict[int, str] = {}
        for stage in report.stages:  # fallback: badge the slide holding each stage's FROM
            fresh.setdefault(stage.slide_index, _status_label(stage.status))
        return fresh
    return _cached_statuses(deck)


def _cached_statuses(deck: Deck) -> Mapping[int, str] | None:
    from slidekit.render.html import has_dockerfile

    if not any(has_dockerfile(slide) for slide in deck.slides):
        return None
    try:
        from slidekit.verify.cache import cache_dir
    except ImportError:
        return None
    folder = cache_dir()
    if not folder.is_dir() or next(folder.glob("*.json"), None) is None:
        return None  # nothing was ever verified here: skip loading the verifier (Docker SDK)
    try:
        from slidekit.verify.status import slide_statuses
    except ImportError:
        return None
    try:
        found = slide_statuses(deck)
    except Exception as exc:  # noqa: BLE001 - a broken cache must not stop an export
        output.warn(f"cannot read the cached verification result: {exc}")
        return None
    return None if found is None else {i: _status_label(s) for i, s in found.items()}


def default_output(deck_path: str) -> Path:
    if deck_path == "-":
        return Path("slides.html")
    return Path(deck_path).with_suffix(".html")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def refuse_overwriting_deck(deck_path: str, *targets: Path) -> None:
    """An output path that is the deck itself (``-o talk.md``, a deck named ``talk.html``,
    a symlink to it) would destroy the user's deck: a usage error instead."""
    if deck_path == "-":
        return
    for target in targets:
        if _same_file(Path(deck_path), target):
            raise SlidekitError("refusing to overwrite the deck with the export (choose another -o)", str(target))


def export_once(deck_path: str, target: Path, *, theme: str | None, allow_html: bool,
                allow_exec: bool, strict: bool, verify: bool, quiet: bool = False,
                allow_paths: tuple[str, ...] = ()) -> HtmlResult:
    """Read, render and atomically write one export; returns the result."""
    from slidekit.render.html import HtmlOptions, render_html
    from slidekit.confine import confinement
    from slidekit.render.html_images import make_resolver

    deck = open_deck(deck_path, quiet=quiet, allow_exec=allow_exec, strict=strict)
    loaded = open_theme(deck, theme, quiet=quiet)
    options = HtmlOptions(allow_html=allow_html, statuses=verification_statuses(deck, verify))
    limits = confinement(deck_dir(deck), allow_paths)
    for warning in () if quiet else limits.warnings:
        output.warn(warning)
    result = render_html(deck, loaded.theme, options, make_resolver(deck_dir(deck), limits=limits))
    for warning in result.warnings:
        output.warn(warning)
    write_atomic(target, result.html)
    return result


def write_pdf(html_path: Path, pdf_path: Path) -> int:
    """Print the exported page to PDF with headless Chromium; returns the page count estimate."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SlidekitError("--pdf needs Playwright: pip install 'slidekit[pdf]' "
                            "(and Chromium: apt-get install chromium)") from None
    if not Path(CHROMIUM).exists():
        raise SlidekitError(f"--pdf needs Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(html_path.resolve().as_uri())
                page.emulate_media(media="print")
                data = page.pdf(prefer_css_page_size=True, print_background=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise SlidekitError(f"--pdf: Chromium failed: {str(exc).splitlines()[0]}", str(pdf_path)) from None
    write_atomic(pdf_path, data)
    return len(data)


def _summary(target: Path, result: HtmlResult, seconds: float) -> str:
    size = target.stat().st_size
    slides = f"{result.slides} slide{'s' if result.slides != 1 else ''}"
    return f"exported {target} ({slides}, {size / 1024:.0f} KiB) in {seconds:.2f}s"


def watch_filter(deck_path: Path, outputs: set[Path]):  # type: ignore[no-untyped-def]
    """Which changed files trigger a re-export: the deck, themes (.json) and images
    next to it; never our own outputs, temporary files or hidden folders (caches)."""
    from slidekit.render.html_images import MIME

    folder = deck_path.parent

    def relevant(change: object, path: str) -> bool:
        p = Path(path).resolve()
        if p in outputs or p.name.endswith(".tmp"):
            return False
        try:
            parts = p.relative_to(folder).parts
        except ValueError:
            return False
        if any(part.startswith(".") or part == "__pycache__" for part in parts):
            return False
        return p == deck_path or p.suffix.lower() in MIME or p.suffix.lower() == ".json"

    return relevant


def watch_loop(deck_path: str, target: Path, pdf: bool, **kwargs: object) -> None:
    """Re-export whenever the deck (or an image or theme next to it) changes; Ctrl-C stops."""
    from watchfiles import watch

    deck = Path(deck_path).resolve()
    outputs = {target.resolve(), target.with_suffix(".pdf").resolve()}
    output.out(f"watching {deck_path} (Ctrl-C to stop)")
    try:
        for _changes in watch(deck.parent, watch_filter=watch_filter(deck, outputs), debounce=200,
                              raise_interrupt=False):
            started = time.perf_counter()
            try:
                result = export_once(deck_path, target, **kwargs)  # type: ignore[arg-type]
                if pdf:
                    write_pdf(target, target.with_suffix(".pdf"))
            except SlidekitError as exc:
                output.error(str(exc))
                continue
            output.out(_summary(target, result, time.perf_counter() - started))
    except KeyboardInterrupt:
        pass
    output.out("stopped watching")


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
@preprocess_options
def command(deck: str, out: str | None, theme: str | None, allow_html: bool, verify: bool, pdf: bool,
            watch: bool, allow_exec: bool, strict: bool, allow_paths: tuple[str, ...]) -> int:
    """Export DECK to one self-contained HTML file that works offline.

    \b
    Keys: → ↓ Space PageDown next · ← ↑ Shift+Space PageUp previous · Home/End
    digits+Enter jump · o/Esc overview · s/p speaker window · f fullscreen
    b blank · ? help.  Deep link: deck.html#/N opens slide N (counted from 1).
    """
    target = Path(out) if out else default_output(deck)
    refuse_overwriting_deck(deck, target, *([target.with_suffix(".pdf")] if pdf else []))
    refuse_same_outputs(("HTML", target), *([("PDF", target.with_suffix(".pdf"))] if pdf else []))
    if watch and deck == "-":
        raise SlidekitError("--watch needs a deck file, not stdin")
    kwargs = dict(theme=theme, allow_html=allow_html, allow_exec=allow_exec, strict=strict, verify=verify,
                  allow_paths=allow_paths)
    started = time.perf_counter()
    result = export_once(deck, target, **kwargs)  # type: ignore[arg-type]
    output.out(_summary(target, result, time.perf_counter() - started))
    if pdf:
        pdf_path = target.with_suffix(".pdf")
        write_pdf(target, pdf_path)
        output.out(f"exported {pdf_path}")
    if watch:
        watch_loop(deck, target, pdf, **kwargs)
    return 0
