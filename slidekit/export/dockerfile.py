"""``slidekit extract`` as a library: the Dockerfile assembled from a deck's code blocks."""

from __future__ import annotations

from slidekit.session import open_deck
from slidekit.verify.assemble import assemble, pick
from slidekit.verify.model import AssembledDockerfile


def extract_dockerfile(deck_path: str, name: str | None = None) -> AssembledDockerfile:
    """The Dockerfile ``name`` (the blocks marked ``file=NAME``; needed when the deck has several) of the deck
    at ``deck_path``, exactly what ``slidekit verify`` builds. ``~~~`` blocks are never run for this."""
    deck = open_deck(deck_path, preprocess=False)
    return pick(assemble(deck), name, deck.path)
