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

from slidekit.errors import SlidekitError
from slidekit.globs import DOCKERIGNORE, glob_regex


@dataclass(frozen=True)
class IgnorePattern:
    pattern: str
    regex: re.Pattern[str]
    exclusion: bool  # a ``!`` line: re-include what matches


def _translate(pattern: str) -> str:
    return "^" + glob_regex(pattern, DOCKERIGNORE) + "$"


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
    if not patterns:
        return False
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


def read_dockerignore(root: Path) -> tuple[IgnorePattern, ...] | None:
    """The patterns of ``root/.dockerignore``; None without one (or if it cannot be read)."""
    try:
        return parse_dockerignore((root / ".dockerignore").read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


class ContextTooLarge(SlidekitError):
    """More files than the caller's ``limit`` (badge lookups give up on such trees)."""


def list_context(root: Path, limit: int | None = None) -> frozenset[str]:
    """Relative POSIX paths of the files (and symlinks, and empty directories) that
    ``docker build root`` would send, after ``.dockerignore``; :class:`ContextTooLarge`
    once more than ``limit`` are found.

    Symlinks are not followed; folders that cannot be read are left out (as
    ``os.walk`` does). ``os.scandir`` with plain strings: a context of tens of
    thousands of files is listed without a ``Path`` object per file.
    """
    ignore_file = root / ".dockerignore"
    patterns = parse_dockerignore(ignore_file.read_text("utf-8")) if ignore_file.is_file() else ()
    can_reinclude = any(p.exclusion for p in patterns)
    found: set[str] = set()
    todo = [("", str(root))]
    while todo:
        prefix, folder = todo.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(entry.name, entry.path, entry.is_dir(follow_symlinks=False)) for entry in entries]
        except OSError:
            continue
        kept_dirs = has_files = False
        for name, full, is_dir in listed:
            rel = prefix + name
            if is_dir:
                if can_reinclude or not is_excluded(rel, patterns):
                    todo.append((rel + "/", full))
                    kept_dirs = True
            else:
                has_files = True
                if not is_excluded(rel, patterns):
                    found.add(rel)
        if limit is not None and len(found) > limit:
            raise ContextTooLarge(f"build context {root} has more than {limit} files")
        if prefix and not kept_dirs and not has_files and not is_excluded(prefix[:-1], patterns):
            found.add(prefix[:-1])
    return frozenset(found)
