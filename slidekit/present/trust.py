"""May ``ctrl+e`` run this deck's code? Exactly the rule of ``~~~cmd`` pre-processing
(:mod:`slidekit.preprocess.trust`): never for stdin, else ``--allow-exec``, the
deck's execute bits, or the user's ``trusted_decks`` config."""

from __future__ import annotations

from slidekit.deck.model import Deck
from slidekit.preprocess.trust import Trust, decide, gather


def deck_trust(deck: Deck, allow_exec: bool) -> Trust:
    return decide(gather(deck.path, allow_exec))
