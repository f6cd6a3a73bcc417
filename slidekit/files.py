"""File access for the CLI: reading decks with clear errors, writing atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from slidekit.errors import DeckError, SlidekitError


def read_deck_text(path: str) -> str:
    """Read a deck as UTF-8 (``-`` is stdin); errors name the file and line."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise DeckError("no such file", path) from None
        except IsADirectoryError:
            raise DeckError("is a directory, not a deck file", path) from None
        except OSError as exc:
            raise DeckError(f"cannot read: {exc.strerror}", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DeckError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path, line) from None


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file and rename, so a reader never
    sees half a file and a failed write leaves the old file intact.

    ``durable=False`` skips the fsync, for small files rewritten often that only
    matter while slidekit runs (the presenter's position file, on every key)."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise SlidekitError(f"cannot write: {exc.strerror}", str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refuse_overwriting_deck(deck_path: str, target: str | os.PathLike[str], option: str) -> None:
    """An output path that is the deck itself (``-o talk.md``, a deck named ``talk.html``, a link to it)
    would destroy the user's deck: a usage error (exit 2) naming the ``option`` instead."""
    if deck_path == "-":
        return
    deck, out = Path(deck_path), Path(target)
    try:
        same = deck.resolve() == out.resolve() or (deck.exists() and out.exists() and deck.samefile(out))
    except OSError:
        same = False
    if same:
        raise SlidekitError(f"{option}: refusing to overwrite the deck (choose another file)", str(target))
