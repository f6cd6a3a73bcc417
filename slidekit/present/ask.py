"""The presenter's one question before a talk starts: may this deck run its commands?

``this deck wants to run: graph-easy --as=boxart (2 blocks) — allow? [y/N/always]``

Asked on the terminal, in its normal (cooked) mode, before the full-screen view takes
over, and only when the deck is not trusted yet and some ``~~~cmd`` block has no
cached output (a deck whose diagrams are all in ``.slidekit-cache`` shows them
without running anything, so there is nothing to ask). ``y`` allows these command
lines for this run; ``always`` also records the deck and a hash of its command lines
in the user's config (:func:`slidekit.userconfig.record_trust`); anything else,
or no answer, runs nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.preprocess import cache, runner
from slidekit.preprocess.pipeline import command_blocks
from slidekit.preprocess.trust import approve_for_session, decide, gather
from slidekit.sanitize import clean
from slidekit.userconfig import commands_digest, record_trust

YES = frozenset({"y", "yes"})
ALWAYS = frozenset({"always", "a"})


def pending_commands(deck: Deck) -> tuple[str, ...]:
    """The command lines of blocks that would have to run (no cached output), in deck order."""
    folder = Path(deck.path).resolve().parent
    pending: list[str] = []
    for block in command_blocks(deck):
        try:
            argv = runner.split_command(block.command)
        except ValueError:
            continue  # shown as a bad command; nothing to run
        if cache.load(folder, cache.cache_key(block.command, argv, block.body), block.command, block.body) is None:
            pending.append(block.command)
    return tuple(pending)


def question(commands: tuple[str, ...]) -> str:
    shown = ", ".join(clean(c) for c in dict.fromkeys(commands))
    count = len(commands)
    return f"this deck wants to run: {shown} ({count} block{'s' if count != 1 else ''}) — allow? [y/N/always] "


def should_ask(deck: Deck) -> tuple[str, ...]:
    """The pending command lines if the user must be asked, else ``()``."""
    if deck.path == "-":
        return ()
    commands = tuple(block.command for block in command_blocks(deck))
    if not commands or decide(gather(deck.path, False, commands=commands)).trusted:
        return ()
    return pending_commands(deck)


def _read_line(in_fd: int) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(in_fd, 1024)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace").strip().lower()


def ask(deck: Deck, in_fd: int, out_fd: int) -> bool:
    """Ask on the terminal if needed; True when the deck's commands may run now."""
    pending = should_ask(deck)
    if not pending:
        return False
    os.write(out_fd, question(pending).encode("utf-8"))
    answer = _read_line(in_fd)
    commands = tuple(block.command for block in command_blocks(deck))
    if answer in ALWAYS:
        try:
            where = record_trust(Path(deck.path).resolve(), commands_digest(commands))
            os.write(out_fd, f"recorded in {where}\n".encode())
        except (SlidekitError, OSError) as exc:
            os.write(out_fd, f"{clean(str(exc))} — allowed for this run only\n".encode())
    elif answer not in YES:
        os.write(out_fd, b"not running them: untrusted blocks show their source\n")
        return False
    approve_for_session(deck.path, commands)
    return True
