"""Bounds on untrusted input: nesting depth of YAML/JSON, lone surrogates, numbers.

Pure functions, no slidekit imports: the parsers call them before (or right after)
handing text to a recursive library, and turn a finding into a ``path:line`` error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

#: the widest rendering (columns) `--width`, $COLUMNS or a terminal may ask for
MAX_WIDTH = 2000
#: longest path-like value (a context folder, an image reference, a theme name)
MAX_PATH_CHARS = 4096
#: longest file name (one path component) file systems accept
MAX_NAME_BYTES = 255
#: deeper YAML/JSON nesting than this is refused (PyYAML and json recurse per level)
MAX_NESTING = 64

_OPEN = "[{"
_CLOSE = "]}"
_SURROGATE_ESCAPE = re.compile(r"\\[uU]0{0,4}[dD][89a-fA-F][0-9a-fA-F]{2}")


def too_deep(text: str, *, yaml: bool = False, limit: int = MAX_NESTING) -> int | None:
    """The 1-based line where ``[``/``{`` nesting first exceeds ``limit``, else None.

    Quoted strings are skipped (JSON's ``"..."``; for YAML also ``'...'`` and ``#``
    comments); YAML block sequences written on one line (``- - - x``) count too."""
    depth = 0
    line = 1
    quote = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            if yaml:
                quote = "" if quote == "#" else quote
        if quote:
            if quote == "#":
                pass
            elif ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                if quote == "'" and text.startswith("''", i):
                    i += 1
                else:
                    quote = ""
        elif ch == '"' or (yaml and ch == "'"):
            quote = ch
        elif yaml and ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
            quote = "#"
        elif ch in _OPEN:
            depth += 1
            if depth > limit:
                return line
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif yaml and ch == "\n":
            run = re.match(r"[ \t]*(?:-[ \t]+)+", text[i + 1:i + 1 + 4 * (limit + 2)])
            if run is not None and run.group().count("-") + depth > limit:
                return line
        i += 1
    if yaml and text[:1] != "\n":
        run = re.match(r"[ \t]*(?:-[ \t]+)+", text[: 4 * (limit + 2)])
        if run is not None and run.group().count("-") > limit:
            return 1
    return None


def _strings(data: object) -> Iterator[str]:
    """Every string (keys and values) in nested lists/dicts, without recursion."""
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, (list, tuple)):
            todo.extend(item)


def has_surrogate(text: str) -> bool:
    """A lone surrogate (``"\\udfff"`` in YAML/JSON) cannot be encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def surrogate_in(data: object) -> bool:
    return any(has_surrogate(s) for s in _strings(data))


def surrogate_line(text: str, first_line: int = 1) -> int:
    """The line of the first ``\\udXXX`` escape in ``text`` (else ``first_line``)."""
    found = _SURROGATE_ESCAPE.search(text)
    return first_line if found is None else first_line + text.count("\n", 0, found.start())


def bounded(value: float, low: float, high: float) -> bool:
    """Finite and within [low, high]."""
    return math.isfinite(value) and low <= value <= high


def path_text_problem(value: object) -> str | None:
    text = str(value)
    if "\0" in text:
        return "contains a NUL character"
    if len(text) > MAX_PATH_CHARS:
        return f"longer than {MAX_PATH_CHARS} characters"
    return None


def theme_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a theme file (a folder such as ``/``, a NUL, a name too
    long for any file system), or None."""
    problem = path_text_problem(name)
    if problem is not None:
        return problem
    last = name.rstrip("/").rsplit("/", 1)[-1]
    if name.endswith("/") or last in ("", ".", ".."):
        return "names a folder, not a theme file"
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in name.split("/")):
        return f"a file name is longer than {MAX_NAME_BYTES} bytes"
    return None
