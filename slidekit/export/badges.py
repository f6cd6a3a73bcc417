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
from slidekit.verify.run import VerifyOptions, verify
from slidekit.verify.status import slide_statuses
from slidekit.verify.vocab import StageStatus


def verification_statuses(deck: Deck, run: bool) -> Mapping[int, StageStatus] | None:
    """Slide index → stage status, from a fresh verification (``run``) or the
    cached result of the last one; None when there is none."""
    if run:
        report = verify(deck, VerifyOptions())
        if not report.engine_available:
            output.warn(f"--verify: {report.engine_message or 'Docker engine unavailable'}; stages not verified")
        counts: dict[StageStatus, int] = {}
        for stage in report.stages:
            counts[stage.status] = counts.get(stage.status, 0) + 1
        output.out("verify: " + (", ".join(f"{n} {status.value}" for status, n in counts.items()) or "no Dockerfile"))
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
