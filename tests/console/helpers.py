"""Helpers of the console tests."""

from __future__ import annotations

import hashlib
from pathlib import Path


def remove_stage_images(client, deck: Path) -> None:  # type: ignore[no-untyped-def]
    """Remove the ``slidekit-verify/<deck id>`` tags verify made for ``deck``'s stages."""
    deck_id = hashlib.sha256(str(deck.resolve()).encode()).hexdigest()[:12]
    for image in client.images.list(name=f"slidekit-verify/{deck_id}"):
        for tag in image.tags:
            client.images.remove(tag, force=True)
