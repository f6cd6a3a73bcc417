"""A code snippet for every Pygments lexer, derived from the lexer itself.

Pygments ships its example files (``tests/examplefiles``) only in the sdist, so
the snippets are generated from what every installed lexer carries:

* for regex-based lexers, one sample string per rule of every state of its
  ``tokens`` table: a ``words(...)`` rule gives its first words, a regex gives a
  string built from its parsed form (``re._parser``: literals, the first member
  of a class, one repetition, each alternative in turn), so the lexer's own
  rules, and the token types they emit, are exercised;
* for every lexer, its names, aliases and file patterns, the first line of its
  docstring and a generic block of code-like text (strings, numbers, comments,
  brackets, tags), which reaches the lexers that are not regex tables
  (delegating, hand-written or template lexers).

The result is deterministic (no randomness), capped in size so a sweep of every
lexer × theme × colour depth stays within minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from pygments.lexer import Lexer, RegexLexer, default, include, words
from pygments.lexers import get_all_lexers, find_lexer_class_by_name

try:  # Python 3.11+ names the regex parser re._parser; 3.10 has sre_parse
    import re._parser as sre_parse  # type: ignore[import-not-found]
    from re._constants import (  # type: ignore[import-not-found]
        ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, GROUPREF, IN, LITERAL, MAX_REPEAT, MIN_REPEAT,
        NEGATE, NOT_LITERAL, RANGE, SUBPATTERN,
    )
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]
    from sre_constants import (  # type: ignore[no-redef]
        ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, GROUPREF, IN, LITERAL, MAX_REPEAT, MIN_REPEAT,
        NEGATE, NOT_LITERAL, RANGE, SUBPATTERN,
    )

MAX_RULES = 60
MAX_CHARS = 2400
GENERIC = (
    'name = "string with \\"escape\\"" # comment\n'
    "// line comment\n/* block\n   comment */\n"
    "number 42 0x1F 3.14e-2 1_000 true false null nil\n"
    "if (a <= b && c != d) { return f(x, y[0]); } else end\n"
    "<tag attr='value'>text &amp; more</tag>\n"
    "def function(arg): pass\n@decorator\nclass Name extends Base:\n"
    "    $variable = @{key => 'value'}; `backtick` 'single' -- dash comment\n"
    "SELECT * FROM t WHERE x = 1;\n#include <stdio.h>\n"
    "key: value\n  - item\n[section]\nopt=1\n"
)
_CATEGORY_SAMPLE = {"CATEGORY_DIGIT": "7", "CATEGORY_NOT_DIGIT": "a", "CATEGORY_SPACE": " ",
                    "CATEGORY_NOT_SPACE": "x", "CATEGORY_WORD": "w", "CATEGORY_NOT_WORD": "+",
                    "CATEGORY_LINEBREAK": "\n", "CATEGORY_NOT_LINEBREAK": "z"}


def lexer_names() -> list[str]:
    """One alias per installed lexer (its first), sorted: the sweep's input space."""
    return sorted({aliases[0] for _, aliases, _, _ in get_all_lexers() if aliases})


def _sample_class(items: list) -> str:  # type: ignore[type-arg]
    negate = any(op is NEGATE for op, _ in items)
    if negate:
        banned = {av for op, av in items if op is LITERAL}
        return next(c for c in "azAZ09 _!" if ord(c) not in banned)
    for op, av in items:
        if op is LITERAL:
            return chr(av)
        if op is RANGE:
            return chr(av[0])
        if op is CATEGORY:
            return _CATEGORY_SAMPLE.get(str(av), "a")
    return "a"


def _emit(parsed: object, turn: int, groups: dict[int, str], depth: int = 0) -> str:
    out: list[str] = []
    for op, av in parsed:  # type: ignore[attr-defined]
        if op is LITERAL:
            out.append(chr(av))
        elif op is NOT_LITERAL:
            out.append("a" if av != ord("a") else "b")
        elif op is ANY:
            out.append("x")
        elif op is IN:
            out.append(_sample_class(av))
        elif op is CATEGORY:
            out.append(_CATEGORY_SAMPLE.get(str(av), "a"))
        elif op in (MAX_REPEAT, MIN_REPEAT) or str(op) == "POSSESSIVE_REPEAT":
            low, high, sub = av
            count = min(max(low, 1), 3) if high != 0 else 0
            out.append(_emit(sub, turn, groups, depth + 1) * count)
        elif op is SUBPATTERN:
            text = _emit(av[-1], turn, groups, depth + 1)
            if av[0] is not None:
                groups[av[0]] = text
            out.append(text)
        elif str(op) == "ATOMIC_GROUP":
            out.append(_emit(av, turn, groups, depth + 1))
        elif op is BRANCH:
            alternatives = av[1]
            out.append(_emit(alternatives[(turn + depth) % len(alternatives)], turn, groups, depth + 1))
        elif op is GROUPREF:
            out.append(groups.get(av, ""))
        elif op in (AT, ASSERT, ASSERT_NOT):
            continue
    return "".join(out)


def regex_sample(pattern: str, flags: int = 0, turn: int = 0) -> str:
    """A string shaped by ``pattern`` (not always a match: lookarounds are ignored)."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except (re.error, OverflowError, RecursionError):
        return ""
    try:
        return _emit(parsed, turn, {})
    except (RecursionError, ValueError, StopIteration):
        return ""


def _rules(cls: type[Lexer]) -> Iterator[str | words]:
    tokens = getattr(cls, "tokens", None)
    if not isinstance(tokens, dict):
        return
    for state in tokens.values():
        if not isinstance(state, (list, tuple)):
            continue
        for rule in state:
            if isinstance(rule, (include, default)) or not isinstance(rule, tuple) or not rule:
                continue
            yield rule[0]


@cache
def snippet(alias: str) -> str:
    """The sweep's input for the lexer called ``alias``."""
    cls = find_lexer_class_by_name(alias)
    flags = getattr(cls, "flags", 0) if issubclass(cls, RegexLexer) else 0
    lines: list[str] = []
    for turn, rule in enumerate(_rules(cls)):
        if len(lines) >= MAX_RULES:
            break
        if isinstance(rule, words):
            text = " ".join(sorted(rule.words)[:3])
        elif isinstance(rule, str):
            text = regex_sample(rule, flags, turn)
        else:
            continue
        text = text.replace("\r", "")
        if text.strip():
            lines.append(text)
    doc = (cls.__doc__ or "").strip().splitlines()
    header = [cls.name, " ".join(cls.aliases), " ".join(cls.filenames)] + doc[:1]
    body = "\n".join([*header, *lines, GENERIC])[:MAX_CHARS]
    # printable text only: the deck loader turns NUL into U+FFFD, as CommonMark says
    return "".join(c if c.isprintable() or c in "\t\n" else "?" for c in body)
