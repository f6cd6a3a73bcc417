"""A pure-Python Dockerfile parser with 1-based source lines.

It follows BuildKit's parser closely enough for static checks: parser
directives (``# escape=``, ``# syntax=``, ``# check=``), comments, line
continuations with the active escape character (comment lines inside a
continuation are dropped, empty ones recorded for NoEmptyContinuation),
heredocs (``<<EOF`` / ``<<-EOF`` / quoted), leading ``--flags``, JSON vs shell
form and ``FROM image [AS name]`` stages. Problems never raise: they are
collected as :class:`ParseProblem` values and turned into findings by
:mod:`slidekit.verify.static`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from slidekit.verify.shell_lex import Lex, LexError

KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    }
)
#: Instructions whose leading ``--name[=value]`` words are flags (BuildKit's set).
FLAGGED = {
    "FROM": frozenset({"platform"}),
    "COPY": frozenset({"from", "chown", "chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chown", "chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack"}),
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "HEALTHCHECK": frozenset({"interval", "timeout", "start-period", "start-interval", "retries"}),
}
#: Instructions that accept the JSON (exec) form.
JSON_FORM = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
#: Minimal number of (non-flag) arguments, as the builders enforce it.
MIN_ARGS = {
    "FROM": 1, "ARG": 1, "ENV": 1, "LABEL": 1, "EXPOSE": 1, "WORKDIR": 1, "USER": 1,
    "COPY": 2, "ADD": 2, "STOPSIGNAL": 1, "SHELL": 1, "ONBUILD": 1, "MAINTAINER": 1,
    "VOLUME": 1, "HEALTHCHECK": 1,
}
KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$")
_HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)\s*([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2(?!\w)")


@dataclass(frozen=True)
class Flag:
    """A leading ``--name=value`` (``value`` None for a bare ``--link``)."""

    name: str
    value: str | None
    raw: str


@dataclass(frozen=True)
class Heredoc:
    name: str
    content: str
    start: int  # line of the first body line
    end: int  # line of the terminator
    chomp: bool = False  # ``<<-``: leading tabs stripped
    expand: bool = True  # an unquoted name: ``$VAR`` in the body is expanded


@dataclass(frozen=True)
class Instruction:
    """One instruction with its 1-based ``start``..``end`` lines.

    ``keyword`` is upper-cased, ``raw_keyword`` as written. ``args`` is the text
    after the keyword and the flags, continuations joined. ``json`` holds the
    exec-form list when the instruction used (valid) JSON form.
    """

    keyword: str
    raw_keyword: str
    args: str
    start: int
    end: int
    flags: tuple[Flag, ...] = ()
    json: tuple[str, ...] | None = None
    heredocs: tuple[Heredoc, ...] = ()
    empty_continuation: int | None = None  # the continuation's last line, when it skipped an empty line
    comments: tuple[str, ...] = ()  # the comment lines just before it (BuildKit's PrevComment)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.json) if self.json is not None else tuple(self.args.split())

    def flag(self, name: str) -> Flag | None:
        for flag in self.flags:
            if flag.name == name:
                return flag
        return None


@dataclass(frozen=True)
class ParseProblem:
    line: int
    message: str


@dataclass(frozen=True)
class Stage:
    """A build stage: its ``FROM`` and the instructions up to the next one.

    ``name`` is lower-cased as BuildKit does (``raw_name`` as written); None for
    an unnamed stage, which can only be referred to by ``index``.
    """

    index: int
    base: str
    name: str | None
    raw_name: str | None
    from_instruction: Instruction
    instructions: tuple[Instruction, ...]

    @property
    def label(self) -> str:
        return self.name if self.name is not None else str(self.index)

    @property
    def line(self) -> int:
        return self.from_instruction.start


@dataclass(frozen=True)
class ParsedDockerfile:
    instructions: tuple[Instruction, ...]
    stages: tuple[Stage, ...]
    global_args: tuple[Instruction, ...]
    directives: dict[str, str] = field(default_factory=dict)
    directive_lines: dict[str, int] = field(default_factory=dict)
    escape: str = "\\"
    problems: tuple[ParseProblem, ...] = ()

    def stage_named(self, name: str) -> Stage | None:
        """The stage called ``name`` (case-insensitive) or with that index."""
        lowered = name.lower()
        for stage in self.stages:
            if stage.name == lowered:
                return stage
        if name.isdigit() and int(name) < len(self.stages):
            return self.stages[int(name)]
        return None


# --------------------------------------------------------------------------- directives


def _directives(lines: list[str], problems: list[ParseProblem]) -> tuple[dict[str, str], dict[str, int], int]:
    """Parser directives at the top of the file; returns them and the first body line index."""
    found: dict[str, str] = {}
    where: dict[str, int] = {}
    index = 0
    for index, line in enumerate(lines):
        match = _DIRECTIVE.match(line.strip()) if line.strip().startswith("#") else None
        if match is None:
            return found, where, index
        key = match.group(1).lower()
        if key not in KNOWN_DIRECTIVES:
            return found, where, index  # an unknown directive is a comment and ends the header
        if key in found:
            problems.append(ParseProblem(index + 1, f"only one `{key}` parser directive can be used"))
        found[key] = match.group(2)
        where[key] = index + 1
    return found, where, len(lines)


# --------------------------------------------------------------------------- parsing


def parse_dockerfile(text: str) -> ParsedDockerfile:
    """Parse ``text``; never raises (problems are part of the result)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    problems: list[ParseProblem] = []
    directives, directive_lines, i = _directives(lines, problems)
    escape = directives.get("escape", "\\")
    if escape not in ("\\", "`"):
        problems.append(ParseProblem(directive_lines["escape"], f"invalid escape token {escape!r}: only \\ and ` are allowed"))
        escape = "\\"
    instructions: list[Instruction] = []
    comments: list[str] = []
    continuation = _continuation_regex(escape)
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("#"):
            # As BuildKit: comments accumulate (blank lines do not reset them), a bare `#` resets.
            comment = lines[i][1:].strip()
            comments = [*comments, comment] if comment else []
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        instruction, i = _read_instruction(lines, i, continuation, problems)
        instructions.append(replace(instruction, comments=tuple(comments)))
        comments = []
    stages, global_args = _stages(instructions, problems)
    return ParsedDockerfile(
        tuple(instructions), stages, global_args, directives, directive_lines, escape, tuple(problems)
    )


def _continuation_regex(escape: str) -> re.Pattern[str]:
    """BuildKit's line-continuation test: the escape token last on the line, not itself escaped."""
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*$|^{e}[ \t]*$")


def _read_instruction(
    lines: list[str], i: int, continuation: re.Pattern[str], problems: list[ParseProblem]
) -> tuple[Instruction, int]:
    start = i + 1
    parts: list[str] = []
    empty = False
    line = lines[i]
    while True:
        if continuation.search(line):
            parts.append(continuation.sub(r"\1", line))
            i += 1
            # Comment and empty lines inside a continuation are skipped (BuildKit).
            while i < len(lines) and (not lines[i].strip() or lines[i].strip().startswith("#")):
                empty = empty or not lines[i].strip()
                i += 1
            if i >= len(lines):
                break
            line = lines[i]
            continue
        parts.append(line)
        i += 1
        break
    joined = "".join(parts).strip()
    end = i
    # BuildKit reports an empty continuation line on the line that ends the instruction.
    empty_line = end if empty else None
    keyword_raw, _, rest = joined.partition(" ")
    if "\t" in keyword_raw:
        keyword_raw, _, more = keyword_raw.partition("\t")
        rest = more + " " + rest
    keyword = keyword_raw.upper()
    flags, rest = _flags(keyword, rest.strip(), start, problems)
    heredocs: tuple[Heredoc, ...] = ()
    if keyword in HEREDOC_INSTRUCTIONS:
        heredocs, i, end = _heredocs(rest, lines, i, end, start, problems)
    json_form = _json_form(keyword, rest)
    instruction = Instruction(keyword, keyword_raw, rest, start, end, flags, json_form, heredocs, empty_line)
    _check_arity(instruction, problems)
    return instruction, i


def _flags(keyword: str, rest: str, line: int, problems: list[ParseProblem]) -> tuple[tuple[Flag, ...], str]:
    allowed = FLAGGED.get(keyword)
    if allowed is None:
        return (), rest
    flags: list[Flag] = []
    while rest.startswith("--"):
        word, _, remainder = rest.partition(" ")
        if word == "--":
            break
        name, eq, value = word[2:].partition("=")
        if name.lower() not in allowed:
            problems.append(ParseProblem(line, f"{keyword}: unknown flag --{name}"))
        flags.append(Flag(name.lower(), value if eq else None, word))
        rest = remainder.lstrip()
    return tuple(flags), rest


def _json_form(keyword: str, rest: str) -> tuple[str, ...] | None:
    if keyword not in JSON_FORM or not rest.startswith("["):
        return None
    try:
        value = json.loads(rest)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _heredocs(
    rest: str, lines: list[str], i: int, end: int, start: int, problems: list[ParseProblem]
) -> tuple[tuple[Heredoc, ...], int, int]:
    if rest.startswith("["):
        return (), i, end
    found: list[Heredoc] = []
    for match in _HEREDOC.finditer(rest):
        chomp, name, quoted = match.group(1) == "-", match.group(3), bool(match.group(2))
        body: list[str] = []
        first = i + 1
        while i < len(lines):
            candidate = lines[i].lstrip("\t") if chomp else lines[i]
            if candidate == name:
                break
            body.append(candidate)
            i += 1
        if i >= len(lines):
            problems.append(ParseProblem(start, f"heredoc <<{name} is never closed (no line `{name}`)"))
            found.append(Heredoc(name, "\n".join(body), first, len(lines), chomp, not quoted))
            return tuple(found), i, len(lines)
        found.append(Heredoc(name, "\n".join(body) + "\n", first, i + 1, chomp, not quoted))
        end = i + 1
        i += 1
    return tuple(found), i, end


def _check_arity(ins: Instruction, problems: list[ParseProblem]) -> None:
    if ins.keyword == "SHELL" and ins.json is None:
        problems.append(ParseProblem(ins.start, "SHELL requires the arguments to be in JSON form"))
        return
    need = MIN_ARGS.get(ins.keyword)
    if need is not None and len(ins.words) < need:
        plural = "argument" if need == 1 else "arguments"
        problems.append(ParseProblem(ins.start, f"{ins.keyword} requires at least {need} {plural}"))
    if ins.keyword == "FROM" and len(ins.words) not in (1, 3) and ins.words:
        problems.append(ParseProblem(ins.start, "FROM requires either one argument, or three: FROM <image> AS <name>"))
    elif ins.keyword == "FROM" and len(ins.words) == 3 and ins.words[1].lower() != "as":
        problems.append(ParseProblem(ins.start, f"FROM: expected `AS <name>`, found `{ins.words[1]}`"))
    if ins.keyword == "ONBUILD" and ins.words and ins.words[0].upper() in ("ONBUILD", "FROM", "MAINTAINER"):
        problems.append(ParseProblem(ins.start, f"{ins.words[0].upper()} isn't allowed as an ONBUILD trigger"))


def _stages(instructions: list[Instruction], problems: list[ParseProblem]) -> tuple[tuple[Stage, ...], tuple[Instruction, ...]]:
    global_args: list[Instruction] = []
    groups: list[list[Instruction]] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            groups.append([ins])
        elif groups:
            groups[-1].append(ins)
        elif ins.keyword == "ARG":
            global_args.append(ins)
        else:
            problems.append(ParseProblem(ins.start, f"{ins.raw_keyword} before the first FROM (only ARG may come first)"))
    if instructions and not groups:
        problems.append(ParseProblem(instructions[0].start, "no FROM instruction: a Dockerfile needs at least one stage"))
    stages: list[Stage] = []
    for index, group in enumerate(groups):
        words = group[0].words
        base = words[0] if words else ""
        raw_name = words[2] if len(words) == 3 and words[1].lower() == "as" else None
        name = raw_name.lower() if raw_name is not None else None
        stages.append(Stage(index, base, name, raw_name, group[0], tuple(group[1:])))
    return tuple(stages), tuple(global_args)


# --------------------------------------------------------------------------- helpers for checks


def parse_words(rest: str, escape: str = "\\") -> list[str]:
    """BuildKit's ``parseWords``: split on blanks outside quotes, keeping quotes and escapes."""
    words: list[str] = []
    buf: list[str] = []
    quote = ""
    blank_ok = in_word = False
    pos = 0
    while pos < len(rest):
        ch = rest[pos]
        pos += 1
        if not in_word and not quote:
            if ch.isspace():
                continue
            in_word = True
        if not quote and ch.isspace():
            if blank_ok or buf:
                words.append("".join(buf))
            buf, blank_ok, in_word = [], False, False
            continue
        if quote and ch == quote:
            quote = ""
        elif not quote and ch in ("'", '"'):
            quote, blank_ok = ch, True
        elif ch == escape and quote != "'":  # the escape token keeps the next character (not inside '...')
            if pos == len(rest):
                continue
            buf.append(ch)
            ch = rest[pos]
            pos += 1
        buf.append(ch)
    if in_word and (blank_ok or buf):
        words.append("".join(buf))
    return words


def arg_defaults(args: tuple[Instruction, ...], overrides: dict[str, str] | None = None) -> dict[str, str | None]:
    """``ARG NAME[=default]`` before the first FROM → {NAME: value or None}, each default
    expanded with the ARGs before it (quotes removed), as BuildKit's meta args."""
    out: dict[str, str | None] = {}
    lex = Lex()
    for ins in args:
        for word in parse_words(ins.args):
            name, eq, value = word.partition("=")
            if overrides is not None and name in overrides:
                out[name] = overrides[name]
                continue
            if not eq:
                out.setdefault(name, None)
                continue
            known = {k: v for k, v in out.items() if v is not None}
            try:
                out[name] = lex.process_word(value, known).result
            except LexError:
                out[name] = value
    return out


def expand(text: str, values: dict[str, str | None]) -> str:
    """``text`` with quotes removed and ``$VAR`` forms substituted (BuildKit's lexer);
    a plain ``$VAR`` without a value stays as written (``${VAR:-x}`` gives ``x``), and so
    does text that does not lex."""
    known = {k: v for k, v in values.items() if v is not None}
    try:
        return Lex(keep_unset_plain=True).process_word(text, known).result
    except LexError:
        return text
