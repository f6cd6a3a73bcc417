"""Value bounds for slidekit's front matter options (types are checked by meta.py).

Each validator returns a problem (shown as ``path:line: front matter `key`: problem``)
or None. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from slidekit.limits import path_text_problem, theme_name_problem

#: longest ~~~cmd timeout a deck may ask for (seconds)
MAX_TIMEOUT = 3600.0


def _timeout(value: object) -> str | None:
    number = float(value)  # type: ignore[arg-type]  # meta.py checked int | float
    if not math.isfinite(number) or not 0 < number <= MAX_TIMEOUT:
        return f"expected a positive number of seconds up to {MAX_TIMEOUT:g}"
    return None


def _theme(value: object) -> str | None:
    return theme_name_problem(str(value))


def _image_map(value: object) -> str | None:
    assert isinstance(value, dict)
    for name, ref in value.items():
        for item in (name, ref):
            if not isinstance(item, str) or not item.strip():
                return f"{name!r}: names and references must be non-empty strings"
            problem = path_text_problem(item)
            if problem is not None:
                return f"{name!r}: {problem}"
    return None


_VALIDATORS: dict[str, Callable[[object], str | None]] = {
    "theme": _theme,
    "timeout": _timeout,
    "context": path_text_problem,
    "image_map": _image_map,
}


def option_problem(key: str, value: object) -> str | None:
    check = _VALIDATORS.get(key)
    return None if check is None else check(value)
