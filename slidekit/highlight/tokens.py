"""Fence language → lexer, and code → token lines (one path for the terminal and HTML)."""

from __future__ import annotations

from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import STANDARD_TYPES, Token, _TokenType
from pygments.util import ClassNotFound

from slidekit.highlight.store import active_store

#: one source line: its runs of (token type, text), no newlines inside
Line = tuple[tuple[_TokenType, str], ...]

_OPTIONS: dict[str, bool | int] = {"stripnl": False, "ensurenl": True, "tabsize": 0}


@lru_cache(maxsize=256)
def lexer_for(lang: str) -> Lexer | None:
    """The lexer for a fence language: a lexer name or alias (``python``, ``yaml``), else a
    file name or extension (``Dockerfile``, ``main.go``, ``.rs``, ``yml``); None = plain text."""
    name = lang.strip()
    if not name:
        return None
    try:
        return get_lexer_by_name(name.lower(), **_OPTIONS)
    except ClassNotFound:
        pass
    # a file name (``Dockerfile``, ``main.go``), an extension (``.rs``) or a bare one (``yml``)
    candidates = [f"x{name}"] if name.startswith(".") else [name, f"x.{name}"]
    for filename in candidates:
        try:
            return get_lexer_for_filename(filename, None, **_OPTIONS)
        except ClassNotFound:
            continue
    return None


@lru_cache(maxsize=4096)
def tokenize(code: str, lang: str) -> tuple[Line, ...]:
    """``code`` as exactly one :data:`Line` per source line (memoised on code and language,
    and, with :func:`slidekit.highlight.store.use_store`, kept on disk)."""
    store = active_store() if lang.strip() else None
    if store is not None:
        found = store.load(code, lang)
        if found is not None:
            return found
    lines = _lex(code, lang)
    if store is not None:
        store.save(code, lang, lines)
    return lines


def _lex(code: str, lang: str) -> tuple[Line, ...]:
    """``code`` lexed, exactly one :data:`Line` per source line (a redraw or a ``--watch``
    re-export re-lexes only code that changed: :func:`tokenize` memoises).

    Plain text (no lexer) is one ``Token.Text`` run per line; so is code a lexer would
    change (some line-based lexers drop an unterminated last line): the text on a slide
    is always the author's."""
    source_lines = code.split("\n")
    lexer = lexer_for(lang)
    if lexer is None:
        return _plain(source_lines)
    lines: list[list[tuple[_TokenType, str]]] = [[]]
    # lexers see newline-terminated text (line-based ones need it); the extra line is cut below
    for token, value in lexer.get_tokens(code):
        for i, piece in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if piece:
                lines[-1].append((token, piece))
    # some lexers add a final newline of their own: keep exactly the source's lines
    lines = lines[: len(source_lines)]
    if ["".join(text for _, text in line) for line in lines] != source_lines:
        return _plain(source_lines)
    return tuple(tuple(line) for line in lines)


def _plain(source_lines: list[str]) -> tuple[Line, ...]:
    return tuple(((Token.Text, line),) if line else () for line in source_lines)


@lru_cache(maxsize=1024)
def standard_type(token: _TokenType) -> _TokenType:
    """The nearest of Pygments' standard token types at or above ``token``."""
    while token not in STANDARD_TYPES and token.parent is not None:
        token = token.parent
    return token


def css_class(token: _TokenType) -> str:
    """Pygments' short CSS class of ``token``'s nearest standard type (``k``, ``s2``; '' for text)."""
    return STANDARD_TYPES.get(standard_type(token), "")
