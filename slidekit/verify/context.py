"""The build context: which files Docker would send, honouring ``.dockerignore``.

Matching follows moby/patternmatcher: patterns are cleaned, relative to the
context root (a leading ``/`` is dropped), ``*`` and ``?`` never cross ``/``,
``**`` matches any number of directories (including none), ``!pattern``
re-includes, the last matching pattern wins, and a pattern that matches a
parent directory excludes everything below it. :func:`parse_dockerignore` and
:func:`is_excluded` are pure; only :func:`list_context` touches the file system.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IgnorePattern:
    pattern: str
    regex: re.Pattern[str]
    exclusion: bool  # a ``!`` line: re-include what matches


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern.startswith("**", i):
                i += 2
                if i < len(pattern) and pattern[i] == "/":
                    i += 1
                out.append(".*" if i >= len(pattern) else "(.*/)?")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            close = pattern.find("]", i + 1)
            if close == -1:
                out.append(re.escape(ch))
            else:
                # Passed to the regexp as Docker does: `^` negates, `!` is literal.
                body = pattern[i + 1 : close].replace("\\", "\\\\")
                out.append(f"[{body}]")
                i = close
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return "^" + "".join(out) + "$"


def parse_dockerignore(text: str) -> tuple[IgnorePattern, ...]:
    """The patterns of a ``.dockerignore`` file (comments and blank lines dropped)."""
    patterns: list[IgnorePattern] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        line = posixpath.normpath(line).lstrip("/")
        if not line or line == ".":
            continue
        patterns.append(IgnorePattern(line, re.compile(_translate(line)), exclusion))
    return tuple(patterns)


def is_excluded(path: str, patterns: tuple[IgnorePattern, ...]) -> bool:
    """Whether the relative POSIX ``path`` is left out of the context."""
    parents = path.split("/")[:-1]
    matched = False
    for pattern in patterns:
        if pattern.exclusion != matched:
            continue
        hit = bool(pattern.regex.match(path)) or any(
            pattern.regex.match("/".join(parents[: i + 1])) for i in range(len(parents))
        )
        if hit:
            matched = not pattern.exclusion
    return matched


def list_context(root: Path) -> frozenset[str]:
    """Relative POSIX paths of the files (and symlinks, and empty directories) that
    ``docker build root`` would send, after ``.dockerignore``."""
    ignore_file = root / ".dockerignore"
    patterns = parse_dockerignore(ignore_file.read_text("utf-8")) if ignore_file.is_file() else ()
    can_reinclude = any(p.exclusion for p in patterns)
    found: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        kept_dirs: list[str] = []
        for name in sorted(dirnames):
            full = Path(dirpath, name)
            rel = prefix + name
            if full.is_symlink():
                filenames.append(name)
            elif can_reinclude or not is_excluded(rel, patterns):
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in filenames:
            rel = prefix + name
            if not is_excluded(rel, patterns):
                found.add(rel)
        if prefix and not dirnames and not filenames and not is_excluded(rel_dir, patterns):
            found.add(rel_dir)
    return frozenset(found)
