"""May this deck run its ``~~~cmd`` blocks? Facts are gathered with a little I/O;
the decision itself is a pure function of them.

A deck is trusted when (first match wins):

1. it was read from stdin → **never** (not even with ``--allow-exec``);
2. ``--allow-exec`` was given;
3. the presenter's prompt was answered ``y`` in this process, for these command lines;
4. the user's config records ``always`` for this deck with exactly these command
   lines (``trusted_commands``: deck path + sha256 of its command lines);
5. the user's own config lists it under ``trusted_decks``;
6. ``trust_exec_bit: true`` is in the user's config and the deck file has slides'
   execute bits (``mode & 0o111 == 0o111``). Off by default: ``git clone`` and
   archives hand out execute bits, so the bit alone says nothing about the author.

Front matter is deliberately not consulted: a deck cannot vouch for itself.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from slidekit.preprocess.config import TrustConfig, display_path, matching_entry, read_config
from slidekit.userconfig import commands_digest, recorded

EXEC_BITS = 0o111

#: (resolved deck path, commands digest) pairs allowed by a ``y`` answer in this process
_SESSION: set[tuple[str, str]] = set()


def approve_for_session(path: str, commands: tuple[str, ...]) -> None:
    """The user answered ``y``: these command lines of this deck may run until slidekit exits."""
    _SESSION.add((str(Path(path).resolve()), commands_digest(commands)))


@dataclass(frozen=True)
class TrustFacts:
    """What the decision needs to know about one deck."""

    deck_path: str
    stdin: bool = False
    allow_exec: bool = False
    exec_bits: bool = False
    #: ``trust_exec_bit: true`` in the user's config
    exec_bit_rule: bool = False
    #: approved by ``y`` in this process, for the current command lines
    session: bool = False
    #: ``always`` recorded in the user's config for the current command lines
    recorded: bool = False
    config_entry: str | None = None
    #: the config file, as shown to the user (``~/.config/slidekit/config.yaml``)
    config_path: str = "~/.config/slidekit/config.yaml"
    config_warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trust:
    trusted: bool
    #: why it is (or is not) trusted, for messages
    reason: str
    #: for untrusted decks: the one-line notice shown on each block
    notice: str = ""


def _stdin(f: TrustFacts) -> Trust | None:
    if not f.stdin:
        return None
    return Trust(False, "deck read from stdin", "not run: decks read from stdin never run commands "
                 "(not even with --allow-exec) — save the deck to a file")


def _allow_exec(f: TrustFacts) -> Trust | None:
    return Trust(True, "--allow-exec") if f.allow_exec else None


def _session(f: TrustFacts) -> Trust | None:
    return Trust(True, "allowed at the prompt") if f.session else None


def _recorded(f: TrustFacts) -> Trust | None:
    return Trust(True, f"`always` recorded in {f.config_path}") if f.recorded else None


def _exec_bits(f: TrustFacts) -> Trust | None:
    if f.exec_bits and f.exec_bit_rule:
        return Trust(True, "the deck file is executable (chmod a+x) and trust_exec_bit is on")
    return None


def _config(f: TrustFacts) -> Trust | None:
    if f.config_entry is None:
        return None
    return Trust(True, f"trusted_decks entry {f.config_entry!r} in {f.config_path}")


#: the rules, in order; the first that has an opinion decides.
RULES: tuple[Callable[[TrustFacts], Trust | None], ...] = (_stdin, _allow_exec, _session, _recorded, _config,
                                                           _exec_bits)


def decide(facts: TrustFacts) -> Trust:
    """Apply :data:`RULES`; no rule → untrusted, with a notice saying how to allow it."""
    for rule in RULES:
        verdict = rule(facts)
        if verdict is not None:
            return verdict
    return Trust(False, "untrusted deck", "not run: untrusted deck — pass --allow-exec, answer `always` when "
                 f"presenting it, or add it to trusted_decks in {facts.config_path}")


def gather(path: str, allow_exec: bool, env: Mapping[str, str] | None = None,
           home: Path | None = None, commands: tuple[str, ...] = ()) -> TrustFacts:
    """Collect the facts for the deck at ``path`` (``-`` = stdin) whose ``~~~cmd``
    command lines are ``commands``, reading the user config only when nothing earlier
    already decides."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if path == "-":
        return TrustFacts(path, stdin=True, allow_exec=allow_exec)
    if allow_exec:
        return TrustFacts(path, allow_exec=True)
    resolved = Path(path).resolve()
    digest = commands_digest(commands)
    if (str(resolved), digest) in _SESSION:
        return TrustFacts(path, session=True)
    config: TrustConfig = read_config(env, home)
    shown = display_path(config.path, home)
    if config.user is not None and recorded(config.user, resolved, digest):
        return TrustFacts(path, recorded=True, config_path=shown)
    entry = matching_entry(config, resolved, home)
    return TrustFacts(path, exec_bits=has_exec_bits(path), exec_bit_rule=config.trust_exec_bit,
                      config_entry=entry, config_path=shown, config_warnings=config.warnings)


def has_exec_bits(path: str) -> bool:
    """slides' rule: user, group and other execute bits are all set."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and mode & EXEC_BITS == EXEC_BITS
