"""Parse a fence info string: ```` ```dockerfile file=api +no-verify ````.

Attributes follow markdown-exec's ``key=value`` (quotes allowed) and presenterm's
``+flag`` conventions; an optional pair of braces (``{file=api}``) is accepted.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Info:
    lang: str
    attrs: dict[str, str] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()


def parse_info(info: str) -> Info:
    info = info.strip()
    if not info:
        return Info("")
    head, _, rest = info.partition(" ")
    lang = head.strip().lstrip("{.").rstrip("}").lower()
    rest = rest.strip()
    if rest.startswith("{") and rest.endswith("}"):
        rest = rest[1:-1]
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    attrs: dict[str, str] = {}
    flags: set[str] = set()
    for word in words:
        word = word.strip(",")
        if not word:
            continue
        if "=" in word:
            key, _, value = word.partition("=")
            attrs[key.strip().lower()] = value
        else:
            flags.add(word.lstrip("+").lower())
    return Info(lang, attrs, frozenset(flags))
