"""Front matter: slides' four keys with slides' defaults, plus slidekit's own options."""

from __future__ import annotations

import datetime as _dt
import getpass
import os
import pwd
import re
from dataclasses import dataclass
from types import ModuleType

from slidekit.deck.bounds import option_problem
from slidekit.deck.godate import slides_date
from slidekit.deck.model import DeckMeta, KeyPath
from slidekit.deck.split import Chunk
from slidekit.errors import DeckError
from slidekit.limits import MAX_NESTING, surrogate_in, surrogate_line, too_deep
from slidekit.source import Span

DEFAULT_DATE = "YYYY-MM-DD"
DEFAULT_PAGING = "Slide %d / %d"

@dataclass(frozen=True)
class OptionSpec:
    """One slidekit front matter key: its expected type and what it is for."""

    kind: type | tuple[type, ...]
    help: str


#: slidekit's own front matter keys (slides ignores unknown keys, so decks stay compatible).
OPTIONS: dict[str, OptionSpec] = {
    "title": OptionSpec(str, "document title for HTML export (default: first heading)"),
    "context": OptionSpec(str, "Docker build context for `verify`, relative to the deck"),
    "image_map": OptionSpec(dict, "base image substitutions NAME: REF for `verify`"),
    "builder": OptionSpec(str, "engine builder for `verify`: auto, buildkit or classic"),
    "checks": OptionSpec(dict, "per-stage smoke checks for `verify --run`"),
    "timeout": OptionSpec((int, float), "seconds a ~~~cmd pre-processing block may run (default 10)"),
    "aspect": OptionSpec(str, "HTML canvas aspect ratio, 16:9 (default) or 4:3"),
}
SLIDES_KEYS = ("theme", "author", "date", "paging")
#: keys whose scalar keeps its source text: slides' own (as yaml.v2 gives them) and `aspect`
#: (`aspect: 4:3` is not YAML 1.1's sexagesimal 243)
TEXT_KEYS = frozenset(SLIDES_KEYS) | {"aspect"}


@dataclass(frozen=True)
class FrontMatter:
    """The front matter's mapping, and the deck line of every key and list item in it."""

    data: dict[str, object]
    #: YAML path (``("checks", "web", 0)``) → deck line; see :meth:`DeckMeta.key_line`
    lines: dict[KeyPath, int]


def parse_front_matter(chunk: Chunk, path: str, *, explicit: bool) -> FrontMatter | None:
    """The YAML mapping of ``chunk`` with its key lines, or None if it is not front matter.

    ``explicit`` is True when the file starts with ``---`` (the chunk is meant as
    front matter, so YAML errors are reported); otherwise a chunk that is not a
    non-empty mapping is simply the first slide.
    """
    if not chunk.text.strip():
        return None
    simple = simple_mapping(chunk.text)
    if simple is not None:
        lines: dict[KeyPath, int] = {}
        for offset, text in enumerate(chunk.lines):
            key = text.partition(":")[0]
            if key in simple:
                lines.setdefault((key,), chunk.first_line + offset)
        return FrontMatter(simple, lines)
    import yaml  # noqa: PLC0415 - boundary: PyYAML only for front matter beyond plain `key: value` lines

    deep = too_deep(chunk.text, yaml=True)
    if deep is not None:
        if not explicit:
            return None
        raise DeckError(f"invalid front matter: nested more than {MAX_NESTING} levels deep", path,
                        chunk.first_line + deep - 1)
    try:
        data, node = _safe_load(yaml, chunk.text)
    except RecursionError:
        if not explicit:
            return None
        raise DeckError(f"invalid front matter: nested more than {MAX_NESTING} levels deep", path,
                        chunk.first_line) from None
    except yaml.YAMLError as exc:
        if not explicit:
            return None
        mark = getattr(exc, "problem_mark", None)
        line = chunk.first_line + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DeckError(f"invalid front matter: {problem}", path, line) from None
    if surrogate_in(data):
        if not explicit:
            return None
        raise DeckError("invalid front matter: a lone surrogate escape (such as \\udfff) is not a character",
                        path, surrogate_line(chunk.text, chunk.first_line))
    if isinstance(data, dict) and data:
        lines = {}
        _key_lines(yaml, node, (), chunk.first_line, lines)
        return FrontMatter({str(k): v for k, v in data.items()}, lines)
    if explicit and data is not None and not isinstance(data, dict):
        raise DeckError("invalid front matter: expected `key: value` lines", path, chunk.first_line)
    return None


def _key_lines(yaml: ModuleType, node: object, path: KeyPath, first: int, out: dict[KeyPath, int]) -> None:
    """The deck line of every key and list item under ``node`` (a YAML node of text starting on line ``first``)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            out.setdefault(child, first + key.start_mark.line)
            _key_lines(yaml, value, child, first, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            child = (*path, index)
            out.setdefault(child, first + value.start_mark.line)
            _key_lines(yaml, value, child, first, out)


def _safe_load(yaml: ModuleType, text: str) -> tuple[object, object]:
    """``yaml.safe_load``, except that the :data:`TEXT_KEYS` keep a scalar's source
    text, as slides' yaml.v2 does for its string fields (``date: 2024-01-01``
    stays that string rather than a date, ``author: yes`` stays ``yes``,
    ``aspect: 4:3`` is not the sexagesimal 243). Returns the data and its YAML node."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        last = {key.value: value for key, value in node.value  # a repeated key: the last one counts
                if isinstance(key, yaml.ScalarNode) and key.value in TEXT_KEYS}
        for key, value in last.items():
            if isinstance(value, yaml.ScalarNode) and data.get(key) is not None:
                data[key] = value.value
    return data, node


# `key: value` lines whose YAML meaning is obvious: an identifier key and a value
# that is empty (null), quoted without escapes, or a plain scalar starting with a
# letter made of characters that can mean nothing else (no `:`, `#`, quotes,
# brackets…). Anything else, and the YAML 1.1 booleans/nulls, go to PyYAML.
_SIMPLE_LINE = re.compile(
    r"(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?:[ ]+(?:"
    r"'(?P<single>[^'\\]*)'|\"(?P<double>[^\"\\]*)\"|(?P<plain>[A-Za-z][A-Za-z0-9 _.,/()+%-]*?)"
    r"))?[ ]*"
)
_YAML_WORDS = frozenset(("yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"))


def simple_mapping(text: str) -> dict[str, object] | None:
    """What ``yaml.safe_load`` gives for front matter made only of plain
    ``key: value`` lines (and blank lines), without importing PyYAML; None when
    the text needs the real parser."""
    data: dict[str, object] = {}
    for line in text.split("\n"):
        if not line.strip(" "):
            continue
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None or not line.isprintable():
            return None
        key, plain = match.group("key"), match.group("plain")
        if key.lower() in _YAML_WORDS or (plain is not None and plain.lower() in _YAML_WORDS):
            return None
        for value in (match.group("single"), match.group("double"), plain):
            if value is not None:
                data[key] = value
                break
        else:
            data[key] = None
    return data or None


def build_meta(front: FrontMatter, chunk: Chunk, path: str) -> tuple[DeckMeta, list[str]]:
    """Validate front matter; returns the meta and warnings (unknown keys are not fatal)."""
    data = front.data

    def _key_line(chunk: Chunk, key: str) -> int:
        return front.lines.get((key,), chunk.first_line)

    warnings: list[str] = []
    values: dict[str, str | None] = {}
    for key in SLIDES_KEYS:
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise DeckError(f"front matter `{key}` must be a string", path, _key_line(chunk, key))
        problem = None if value is None else option_problem(key, value)
        if problem is not None:
            raise DeckError(f"front matter `{key}`: {problem}", path, _key_line(chunk, key))
        values[key] = None if value is None else str(value)
    options: dict[str, object] = {}
    for key, value in data.items():
        if key in SLIDES_KEYS:
            continue
        spec = OPTIONS.get(key)
        if spec is None:
            warnings.append(f"{path}:{_key_line(chunk, key)}: unknown front matter key `{key}` (ignored)")
            continue
        if isinstance(value, bool) or not isinstance(value, spec.kind):
            raise DeckError(f"front matter `{key}`: expected {_kind_name(spec.kind)}", path, _key_line(chunk, key))
        problem = option_problem(key, value)
        if problem is not None:
            raise DeckError(f"front matter `{key}`: {problem}", path, _key_line(chunk, key))
        options[key] = value
    title = options.get("title")
    meta = DeckMeta(
        theme=values["theme"],
        author=values["author"],
        date=values["date"],
        paging=values["paging"],
        title=title if isinstance(title, str) else None,
        options=options,
        raw=dict(data),
        span=Span(max(chunk.first_line - 1, 1), chunk.last_line + 1),
        key_lines=front.lines,
    )
    return meta, warnings


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", dict: "a mapping", int: "a number", float: "a number", list: "a list"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


# --------------------------------------------------------------------------- footer values


def format_date(spec: str | None, today: _dt.date | None = None) -> str:
    """slides' date: its tokens make a Go layout that formats today; no token → the
    literal string (see :mod:`slidekit.deck.godate`)."""
    if spec is None:
        spec = DEFAULT_DATE
    now = _dt.datetime.now().astimezone()
    if today is not None:
        now = now.replace(year=today.year, month=today.month, day=today.day)
    return slides_date(spec, now)


def format_paging(spec: str | None, current: int, total: int) -> str:
    """slides' paging: two ``%d`` → current and total, one → current, else literal."""
    if spec is None:
        spec = DEFAULT_PAGING
    count = spec.count("%d")
    if count == 2:
        return spec.replace("%d", str(current), 1).replace("%d", str(total), 1)
    if count == 1:
        return spec.replace("%d", str(current), 1)
    return spec


def default_author() -> str:
    """slides' default author: the OS user's full name (falls back to the login)."""
    try:
        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0]
        if gecos:
            return gecos
    except (ImportError, KeyError):
        pass
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database at all
        return ""


def footer_parts(meta: DeckMeta, current: int, total: int, today: _dt.date | None = None) -> tuple[str, str, str]:
    """(author, date, paging) as the footer shows them; an empty string hides one."""
    author = default_author() if meta.author is None else meta.author
    return author, format_date(meta.date, today), format_paging(meta.paging, current, total)
