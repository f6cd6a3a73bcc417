"""Parse a fence info string: ```` ```dockerfile file=api +no-verify ````.

Attributes follow markdown-exec's ``key=value`` (quotes allowed) and presenterm's
``+flag`` conventions; an optional pair of braces (``{file=api}``) is accepted.
presenterm's line highlights (``{1,3-5}``, ``{1|2-3|all}``) are read into
``highlight``: one set of 1-based lines per step (None = every line).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_HIGHLIGHT = re.compile(r"\{(?P<spec>[\d\s,|\-]*(?:all[\s,|\d\-]*)*)\}")
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
#: a highlight range longer than this is cut (a typo such as 1-99999999 must not allocate a huge set)
MAX_LINES = 10_000


@dataclass(frozen=True)
class Info:
    lang: str
    attrs: dict[str, str] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    highlight: tuple[frozenset[int] | None, ...] = ()


def parse_highlight(spec: str) -> tuple[frozenset[int] | None, ...]:
    """``1,3-5|all`` → ({1, 3, 4, 5}, None); malformed parts are skipped."""
    groups: list[frozenset[int] | None] = []
    for part in spec.split("|"):
        part = part.strip()
        if part == "all":
            groups.append(None)
            continue
        lines: set[int] = set()
        for item in part.split(","):
            match = _RANGE.match(item.strip())
            if match:
                low = int(match.group(1))
                high = int(match.group(2) or low)
                lines.update(range(low, min(high, low + MAX_LINES) + 1))
        if lines:
            groups.append(frozenset(lines))
    return tuple(groups)


def parse_info(info: str) -> Info:
    info = info.strip()
    if not info:
        return Info("")
    head, _, rest = info.partition(" ")
    highlight: tuple[frozenset[int] | None, ...] = ()
    if head.startswith("{"):  # ```{1,3} with no language
        rest, head = f"{head} {rest}", ""
    found = _HIGHLIGHT.search(rest)
    if found:
        highlight = parse_highlight(found.group("spec"))
        rest = rest[: found.start()] + rest[found.end():]
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
    return Info(lang, attrs, frozenset(flags), highlight)
