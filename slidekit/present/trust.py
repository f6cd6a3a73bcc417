"""May ``ctrl+e`` run this deck's code? Exactly the rule of ``~~~cmd`` pre-processing
(:mod:`slidekit.preprocess.trust`): never for stdin, else ``--allow-exec``, the
prompt's answer, the user's recorded ``always`` or ``trusted_decks`` config (or the
execute bits, with ``trust_exec_bit: true``)."""

from __future__ import annotations

from slidekit.deck.model import Deck
from slidekit.preprocess.pipeline import command_blocks
from slidekit.preprocess.trust import Trust, decide, gather


def deck_trust(deck: Deck, allow_exec: bool) -> Trust:
    return decide(gather(deck.path, allow_exec, commands=tuple(b.command for b in command_blocks(deck))))
