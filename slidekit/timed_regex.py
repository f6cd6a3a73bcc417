"""Regular expressions from untrusted text (a deck's ``expect_output``, the presenter's
``/`` search) matched with a time limit.

Python's ``re`` cannot be interrupted: ``^(a+)+$`` against 35 ``a``'s backtracks for
hours. The ``regex`` package (a dependency for this reason) accepts ``timeout=`` and
raises :class:`TimeoutError`; patterns are compiled in its ``VERSION0`` mode, which
follows ``re``'s syntax.
"""

from __future__ import annotations

import regex

IGNORECASE = regex.IGNORECASE
MULTILINE = regex.MULTILINE
#: what a bad pattern raises (``regex.error``)
error = regex.error
Pattern = regex.Pattern


def compile_pattern(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    return regex.compile(pattern, flags | regex.VERSION0)


def search(pattern: str | regex.Pattern[str], text: str, *, timeout: float, flags: int = 0) -> bool:
    """Does ``pattern`` match somewhere in ``text``? :class:`TimeoutError` after ``timeout`` s."""
    compiled = compile_pattern(pattern, flags) if isinstance(pattern, str) else pattern
    return compiled.search(text, timeout=timeout) is not None
