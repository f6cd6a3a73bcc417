"""Value bounds for slidekit's front matter options (types are checked by meta.py).

Each validator returns a problem (shown as ``path:line: front matter `key`: problem``)
or None. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Callable

#: longest ~~~cmd timeout a deck may ask for (seconds)
MAX_TIMEOUT = 3600.0
#: longest path-like value (a context folder, an image reference)
MAX_PATH_CHARS = 4096


def _timeout(value: object) -> str | None:
    number = float(value)  # type: ignore[arg-type]  # meta.py checked int | float
    if not math.isfinite(number) or not 0 < number <= MAX_TIMEOUT:
        return f"expected a positive number of seconds up to {MAX_TIMEOUT:g}"
    return None


def _path_text(value: object) -> str | None:
    text = str(value)
    if "\0" in text:
        return "contains a NUL character"
    if len(text) > MAX_PATH_CHARS:
        return f"longer than {MAX_PATH_CHARS} characters"
    return None


def _image_map(value: object) -> str | None:
    assert isinstance(value, dict)
    for name, ref in value.items():
        for item in (name, ref):
            if not isinstance(item, str) or not item.strip():
                return f"{name!r}: names and references must be non-empty strings"
            problem = _path_text(item)
            if problem is not None:
                return f"{name!r}: {problem}"
    return None


_VALIDATORS: dict[str, Callable[[object], str | None]] = {
    "timeout": _timeout,
    "context": _path_text,
    "image_map": _image_map,
}


def option_problem(key: str, value: object) -> str | None:
    check = _VALIDATORS.get(key)
    return None if check is None else check(value)
