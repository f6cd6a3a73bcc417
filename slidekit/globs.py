"""Path globs as regular expressions: one translator for the two places slidekit matches globs.

Both dialects agree on the essentials: ``*`` and ``?`` never cross ``/``, ``**/`` matches any number of
directories (also none), a trailing ``**`` matches everything below, and ``[...]`` is a character class. They
differ on purpose, because each copies the tool its users know:

================================  ===========================  ==========================================
                                  :data:`PATHS`                :data:`DOCKERIGNORE`
                                  (``trusted_decks:`` entries,  (``.dockerignore``, as Docker's
                                  shell/gitignore style)        moby/patternmatcher does it)
================================  ===========================  ==========================================
``[!a]``                          negated class                ``!`` is literal (``[^a]`` negates)
``\\``                            a literal backslash           escapes the next character
``**`` inside a name (``**.md``)  any path (``.*``)            whole directories only (``(.*/)?``)
``]`` right after ``[``           a literal ``]`` in the class  closes an empty class (matches nothing)
================================  ===========================  ==========================================

The result is unanchored; callers anchor it (``re.compile(glob_regex(p, PATHS) + r"\\Z")``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class GlobDialect:
    bang_negates: bool  # `[!...]` is a negated class (shell); else `!` is literal and only `^` negates (Go)
    backslash_escapes: bool  # `\x` is a literal x (Go's filepath.Match); else `\` is an ordinary character
    inner_star_star_crosses: bool  # `**` not followed by `/` nor at the end matches any text (.*), else dirs
    bracket_first_literal: bool  # a `]` right after `[` (or `[!`) belongs to the class (fnmatch)


PATHS = GlobDialect(bang_negates=True, backslash_escapes=False, inner_star_star_crosses=True,
                    bracket_first_literal=True)
DOCKERIGNORE = GlobDialect(bang_negates=False, backslash_escapes=True, inner_star_star_crosses=False,
                           bracket_first_literal=False)


def glob_regex(pattern: str, dialect: GlobDialect) -> str:
    """``pattern`` as an (unanchored) regular expression, read in ``dialect``."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                out.append("(?:.*/)?")
                i += 1
            elif i >= len(pattern) or dialect.inner_star_star_crosses:
                out.append(".*")
            else:
                out.append("(?:.*/)?")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + (2 if dialect.bracket_first_literal else 1))
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end]
                if dialect.bang_negates and body.startswith("!"):
                    body = "^" + body[1:]
                # an empty class (Go's `[]`, a bad pattern there) matches nothing rather than breaking the regex
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]" if body else "(?!)")
                i = end
        elif char == "\\" and dialect.backslash_escapes and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)
