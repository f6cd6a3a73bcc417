"""May this deck run its ``~~~cmd`` blocks? Facts are gathered with a little I/O;
the decision itself is a pure function of them.

A deck is trusted when (first match wins):

1. it was read from stdin → **never** (not even with ``--allow-exec``);
2. ``--allow-exec`` was given;
3. the deck file has slides' execute bits (``mode & 0o111 == 0o111``: all three);
4. the user's own config lists it under ``trusted_decks``.

Front matter is deliberately not consulted: a deck cannot vouch for itself.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from slidekit.preprocess.config import TrustConfig, display_path, matching_entry, read_config

EXEC_BITS = 0o111


@dataclass(frozen=True)
class TrustFacts:
    """What the decision needs to know about one deck."""

    deck_path: str
    stdin: bool = False
    allow_exec: bool = False
    exec_bits: bool = False
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


def _exec_bits(f: TrustFacts) -> Trust | None:
    return Trust(True, "the deck file is executable (chmod a+x)") if f.exec_bits else None


def _config(f: TrustFacts) -> Trust | None:
    if f.config_entry is None:
        return None
    return Trust(True, f"trusted_decks entry {f.config_entry!r} in {f.config_path}")


#: the rules, in order; the first that has an opinion decides.
RULES: tuple[Callable[[TrustFacts], Trust | None], ...] = (_stdin, _allow_exec, _exec_bits, _config)


def decide(facts: TrustFacts) -> Trust:
    """Apply :data:`RULES`; no rule → untrusted, with a notice saying how to allow it."""
    for rule in RULES:
        verdict = rule(facts)
        if verdict is not None:
            return verdict
    name = Path(facts.deck_path).name
    return Trust(False, "untrusted deck", f"not run: untrusted deck — pass --allow-exec, `chmod a+x {name}`, "
                 f"or add it to trusted_decks in {facts.config_path}")


def gather(path: str, allow_exec: bool, env: Mapping[str, str] | None = None,
           home: Path | None = None) -> TrustFacts:
    """Collect the facts for the deck at ``path`` (``-`` = stdin), reading the user
    config only when nothing earlier already decides."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if path == "-":
        return TrustFacts(path, stdin=True, allow_exec=allow_exec)
    facts = TrustFacts(path, allow_exec=allow_exec, exec_bits=has_exec_bits(path))
    if facts.allow_exec or facts.exec_bits:
        return facts
    config: TrustConfig = read_config(env, home)
    entry = matching_entry(config, Path(path).resolve(), home)
    return TrustFacts(path, config_entry=entry, config_path=display_path(config.path, home),
                      config_warnings=config.warnings)


def has_exec_bits(path: str) -> bool:
    """slides' rule: user, group and other execute bits are all set."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and mode & EXEC_BITS == EXEC_BITS
