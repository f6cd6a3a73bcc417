"""A persistent token cache: token lines on disk, keyed by content.

Loading and compiling Pygments lexers costs more than lexing a slide's code (about
0.7 s of a 0.8 s HTML render of the 200-slide benchmark deck). The front ends that
show slides (:func:`slidekit.session.open_deck` with pre-processing) turn this store on,
so a deck shown or exported again is highlighted without loading any lexer. The key
is the code, the fence language, Pygments' version and this file's format; a damaged
or unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pygments
from pygments.token import Token, _TokenType

from slidekit.files import write_atomic

FORMAT = 1


def default_dir() -> Path:
    """``$XDG_CACHE_HOME/slidekit/highlight`` (``~/.cache/slidekit/highlight``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slidekit" / "highlight"


def _token(name: str) -> _TokenType:
    node = Token
    for part in name.split(".") if name else ():
        node = getattr(node, part)
    return node


def _name(token: _TokenType) -> str:
    return ".".join(token)


class TokenStore:
    """Token lines (see :data:`slidekit.highlight.tokens.Line`) kept in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, code: str, lang: str) -> Path:
        key = hashlib.sha256(f"{FORMAT}\0{pygments.__version__}\0{lang}\0{code}".encode()).hexdigest()
        return self.root / key[:2] / f"{key[2:]}.json"

    def load(self, code: str, lang: str) -> tuple[tuple[tuple[_TokenType, str], ...], ...] | None:
        try:
            data = json.loads(self._path(code, lang).read_text(encoding="utf-8"))
            lines = tuple(tuple((_token(name), text) for name, text in line) for line in data)
        except (OSError, ValueError, TypeError, AttributeError):
            return None
        if ["".join(text for _, text in line) for line in lines] != code.split("\n"):
            return None  # not this code (a damaged entry)
        return lines

    def save(self, code: str, lang: str, lines: tuple[tuple[tuple[_TokenType, str], ...], ...]) -> None:
        path = self._path(code, lang)
        data = [[[_name(token), text] for token, text in line] for line in lines]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")), durable=False)
        except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
            pass


_ACTIVE: list[TokenStore] = []


def use_store(store: TokenStore | None) -> None:
    """Keep token lines in ``store`` across runs too (None: memory only, the default)."""
    _ACTIVE[:] = [store] if store is not None else []


def active_store() -> TokenStore | None:
    return _ACTIVE[0] if _ACTIVE else None
