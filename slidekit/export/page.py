"""One export: read the deck, pre-process it, render it to one HTML file, write it atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slidekit import output
from slidekit.confine import confinement
from slidekit.export.badges import verification
from slidekit.files import write_atomic
from slidekit.render.html import HtmlOptions, HtmlResult, render_html
from slidekit.render.html_images import make_resolver
from slidekit.session import deck_dir, open_deck, open_theme


@dataclass(frozen=True)
class ExportOptions:
    """What ``slidekit export`` lets the user choose, besides the paths."""

    theme: str | None = None  # a theme name or file overriding the deck's ``theme:``
    allow_html: bool = False  # keep raw HTML from the deck (filtered)
    verify: bool = False  # verify the deck first and badge each Dockerfile slide
    allow_exec: bool = False  # the pre-processing choices, see slidekit.session.open_deck
    strict: bool = False
    refresh: bool = False
    allow_paths: tuple[str, ...] = ()  # folders images may also come from (--allow-path)
    engine: str | None = None  # --engine: the Docker engine --verify builds on (None: the environment's selection)


def default_output(deck_path: str) -> Path:
    """The deck's name with ``.html`` (``slides.html`` for stdin)."""
    if deck_path == "-":
        return Path("slides.html")
    return Path(deck_path).with_suffix(".html")


def export_once(deck_path: str, target: Path, options: ExportOptions, *, quiet: bool = False) -> HtmlResult:
    """Read, render and atomically write one export of the deck at ``deck_path``; returns the result."""
    deck = open_deck(deck_path, preprocess=True, allow_exec=options.allow_exec, strict=options.strict,
                     refresh=options.refresh, quiet=quiet)
    loaded = open_theme(deck, options.theme, quiet=quiet)
    statuses, console = verification(deck, options.verify, options.engine)
    html_options = HtmlOptions(allow_html=options.allow_html, statuses=statuses, console=console)
    limits = confinement(deck_dir(deck), options.allow_paths)
    for warning in () if quiet else limits.warnings:
        output.warn(warning)
    result = render_html(deck, loaded.theme, html_options, make_resolver(deck_dir(deck), limits=limits))
    for warning in result.warnings:
        output.warn(warning)
    write_atomic(target, result.html)
    return result


def summary(target: Path, result: HtmlResult, seconds: float) -> str:
    """``exported talk.html (12 slides, 80 KiB) in 0.21s``."""
    size = target.stat().st_size
    slides = f"{result.slides} slide{'s' if result.slides != 1 else ''}"
    return f"exported {target} ({slides}, {size / 1024:.0f} KiB) in {seconds:.2f}s"
