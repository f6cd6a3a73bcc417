"""A persistent cache of parsed decks, keyed on content, so an unchanged deck starts without parsing.

Parsing a long deck (and importing the Markdown parser) is most of the time to the first frame; a deck that was
shown or exported before is read back from ``$XDG_CACHE_HOME/slidekit/decks`` (default ``~/.cache``) instead.

The key is the SHA-256 of the deck's text and path, slidekit's version and the modification time and size of
every module of :mod:`slidekit.deck` and of the installed Markdown and Pygments packages (so a changed parser
never serves a stale deck). An entry is slidekit's own pickle of the :class:`~slidekit.deck.model.Deck`, written
atomically into the user's private cache folder; anything unreadable is a miss. ``SLIDEKIT_DECK_CACHE=0``
turns the cache off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
from functools import cache
from pathlib import Path

from slidekit import __version__
from slidekit.deck.model import Deck
from slidekit.files import write_atomic

FORMAT = "slidekit.deck/1"
KEEP = 32  # entries kept; older ones are removed when a new one is written
DISABLE_ENV = "SLIDEKIT_DECK_CACHE"
_PARSER_PACKAGES = ("markdown_it", "mdit_py_plugins", "pygments")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slidekit" / "decks"


def enabled() -> bool:
    return os.environ.get(DISABLE_ENV, "1") != "0"


@cache
def _code_signature() -> str:
    """What the parse depends on besides the text: slidekit's deck package and the parser libraries."""
    files = sorted(Path(__file__).parent.glob("*.py"))
    for name in _PARSER_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    parts = [FORMAT, __version__]
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path}:{stat.st_mtime_ns}:{stat.st_size}")
    return "\n".join(parts)


def key(text: str, path: str) -> str:
    digest = hashlib.sha256(_code_signature().encode())
    digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(text.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def has(text: str, path: str) -> bool:
    """Whether the cache holds a parse of ``text`` (without reading it)."""
    return enabled() and (cache_dir() / f"{key(text, path)}.pickle").is_file()


def lookup(text: str, path: str) -> Deck | None:
    """The cached parse of ``text`` (read from ``path``), or None."""
    if not enabled():
        return None
    entry = cache_dir() / f"{key(text, path)}.pickle"
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        deck = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged entry is only a miss
        entry.unlink(missing_ok=True)
        return None
    return deck if isinstance(deck, Deck) else None


def store(text: str, path: str, deck: Deck) -> None:
    """Remember ``deck`` as the parse of ``text``; a cache that cannot be written is only slower."""
    if not enabled():
        return
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(folder / f"{key(text, path)}.pickle", pickle.dumps(deck, protocol=pickle.HIGHEST_PROTOCOL),
                     durable=False)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - an unwritable cache (or a racing pruner) must not stop the talk
        return


def load_deck_cached(text: str, path: str) -> Deck:
    """:func:`slidekit.deck.load.load_deck` through the cache."""
    deck = lookup(text, path)
    if deck is None:
        from slidekit.deck.load import load_deck  # noqa: PLC0415 - boundary: the parser loads on a cache miss only

        deck = load_deck(text, path)
        store(text, path, deck)
    return deck
