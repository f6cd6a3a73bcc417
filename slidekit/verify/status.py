"""Per-slide verify status from the cache, without an engine (presenter badges, HTML export).

A lookup lists the build context and hashes it through the stat index of
:func:`slidekit.verify.cache.hash_context` (a ``stat`` per unchanged file, so
an edited context file still changes the key); a context of more than
:data:`MAX_CONTEXT_FILES` files (a deck lying in ``$HOME`` or ``/tmp`` without
``context:``) gets no badges rather than a long wait.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.verify import cache as result_cache
from slidekit.verify.assemble import assemble
from slidekit.verify.plan import context_root, effective_image_map, list_files, plan_stages
from slidekit.verify.vocab import StageStatus, worst

__all__ = ["MAX_CONTEXT_FILES", "slide_statuses", "worst"]

MAX_CONTEXT_FILES = 50_000


def slide_statuses(
    deck: Deck, context: Path | None = None, image_map: Mapping[str, str] | None = None
) -> dict[int, StageStatus] | None:
    """Slide index → status of the stages whose Dockerfile lines it shows, from the
    cached result for the deck's current content; None when nothing is cached
    (or the deck has no Dockerfile to verify). Needs no Docker engine."""
    try:
        dockerfiles = assemble(deck)
        root = context_root(deck, context)
        files = list_files(root, MAX_CONTEXT_FILES)
    except (SlidekitError, OSError):
        return None
    mapping = effective_image_map(deck, dict(image_map or {}))
    key = result_cache.content_key(dockerfiles, result_cache.hash_context(root, files), mapping)
    entry = result_cache.load(key)
    if entry is None:
        return None
    out: dict[int, StageStatus] = {}
    for dockerfile in dockerfiles:
        plan = plan_stages(dockerfile)
        for stage in plan.stages:
            cached = entry.stage(dockerfile.name, stage.label)
            status = cached.status if cached is not None else StageStatus.NOT_VERIFIED
            for line in range(stage.first_line, min(stage.last_line, len(dockerfile.line_map)) + 1):
                slide = dockerfile.slide_index(line)
                out[slide] = worst(out.get(slide), status)
    return out
