"""Which Dockerfile badge each exported slide carries: built, failed, not verified...

From a fresh verification (``export --verify``) or the cached result of the last ``slidekit verify`` of the
deck's current content. Output (the ``verify:`` summary, warnings) goes through :mod:`slidekit.output`.
"""

from __future__ import annotations

from collections.abc import Mapping

from slidekit import output
from slidekit.deck.model import Deck
from slidekit.render.html import has_dockerfile
from slidekit.verify.cache import cache_dir
from slidekit.verify.run import verify_deck
from slidekit.verify.status import slide_statuses


def _status_label(status: object) -> str:
    return str(getattr(status, "value", status))


def verification_statuses(deck: Deck, run: bool) -> Mapping[int, str] | None:
    """Slide index → stage status label, from a fresh verification (``run``) or the
    cached result of the last one; None when there is none."""
    if run:
        report = verify_deck(deck, context=None, image_map={})
        if not report.engine_available:
            output.warn(f"--verify: {report.engine_message or 'Docker engine unavailable'}; stages not verified")
        counts: dict[str, int] = {}
        for stage in report.stages:
            label = _status_label(stage.status)
            counts[label] = counts.get(label, 0) + 1
        output.out("verify: " + (", ".join(f"{n} {label}" for label, n in counts.items()) or "no Dockerfile"))
        cached = cached_statuses(deck)
        if cached is not None:
            return cached
        fresh: dict[int, str] = {}
        for stage in report.stages:  # fallback: badge the slide holding each stage's FROM
            fresh.setdefault(stage.slide_index, _status_label(stage.status))
        return fresh
    return cached_statuses(deck)


def cached_statuses(deck: Deck) -> Mapping[int, str] | None:
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
    return None if found is None else {i: _status_label(s) for i, s in found.items()}
