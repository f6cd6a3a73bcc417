"""BuildKit's Dockerfile checks (``docker build --check``), emulated statically.

The rules, their messages and where they fire follow moby/buildkit's
``frontend/dockerfile/linter`` and ``dockerfile2llb`` (``convert.go``,
``validations.go``, ``convert_expose.go``): parse-time checks per instruction,
whole-file checks (casing, stage names, empty continuations, default ARGs in
FROM), per-stage checks on ``FROM`` (undeclared ARGs, ``--platform``), and the
checks BuildKit makes while it dispatches every instruction of every stage in
order, with the state a stage inherits from its parent stage (environment,
ARGs, ``SHELL``, whether a ``WORKDIR`` was set). Words are expanded with
BuildKit's lexer (:mod:`slidekit.verify.shell_lex`), so quotes and every
``${VAR…}`` form behave as in a real build.

Not known statically: a base image's own environment (``PATH``, plus what
:mod:`slidekit.verify.image_env` lists for well-known official images),
``SHELL`` and ``WORKDIR``.

Each :class:`Hit` carries the comment lines just before its instruction: BuildKit
applies a ``# check=skip=…`` found there to that instruction only. Hits whose
``comments`` is None obey only the file's ``# check=`` directive.
"""

from __future__ import annotations

import csv
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from slidekit.verify.context import IgnorePattern, is_excluded
from slidekit.verify.dockerfile import Instruction, ParsedDockerfile, Stage, parse_words
from slidekit.verify.image_env import image_env
from slidekit.verify.shell_lex import Lex, LexError, WordResult, suggest


@dataclass(frozen=True)
class Hit:
    """A rule's result, located in the assembled Dockerfile."""

    rule: str
    line: int
    message: str
    comments: tuple[str, ...] | None = None  # the instruction's preceding comments (per-instruction skip)


DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
NON_ENV_ARGS = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})
RESERVED_STAGE_NAMES = ("context", "scratch")
_SECRET = re.compile(r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)")
_SECRET_ALLOWED = re.compile(r"(?i)(?:_|^)(?:public|file|version)(?:_|$)")
_WHITESPACE = re.compile(r"[\t\v\f\r ]+")


def go_quote(text: str) -> str:
    """Go's ``%q`` for the strings these messages quote."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{out}"'


def default_args(target: str) -> dict[str, str]:
    """The build's predefined ARGs (a linux/amd64 build, as the checks assume)."""
    return {
        "BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDOSVERSION": "", "BUILDARCH": "amd64",
        "BUILDVARIANT": "", "TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETOSVERSION": "",
        "TARGETARCH": "amd64", "TARGETVARIANT": "", "TARGETSTAGE": target or "default",
    }


def meta_args(
    parsed: ParsedDockerfile, base: Mapping[str, str], build_args: Mapping[str, str]
) -> tuple[dict[str, str], list[str]] | None:
    """BuildKit's ``buildMetaArgs``: the global ARG values over ``base`` (None if one does
    not expand), and every declared global ARG name."""
    env = dict(base)
    declared: list[str] = []
    lex = Lex(escape=parsed.escape)
    for ins in parsed.global_args:
        for word in parse_words(ins.args, parsed.escape):
            key, eq, value = word.partition("=")
            declared.append(key)
            if key in build_args:
                env[key] = build_args[key]
            elif eq:
                try:
                    env[key] = lex.process_word(value, env).result
                except LexError:
                    return None
    return env, declared


def target_name(parsed: ParsedDockerfile) -> str:
    return parsed.stages[-1].name or "" if parsed.stages else ""


# --------------------------------------------------------------------------- image references and platforms

_ALNUM = r"[a-z0-9]+"
_SEP = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEP}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])"
_NAME = rf"(?:{_HOST}(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_REFERENCE = re.compile(
    rf"^({_NAME})(?::([\w][\w.-]{{0,127}}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{{32,}}))?$"
)
_HEX64 = re.compile(r"^[a-f0-9]{64}$")


def is_valid_reference(name: str) -> bool:
    """Whether docker's ``reference.ParseNormalizedNamed`` accepts ``name``."""
    if not name or _HEX64.match(name):
        return False
    slash = name.find("/")
    head = name[:slash] if slash != -1 else ""
    if slash == -1 or (not any(c in head for c in ".:") and head != "localhost" and head.lower() == head):
        domain, remainder = "docker.io", name
    else:
        domain, remainder = head, name[slash + 1:]
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        return False
    match = _REFERENCE.match(f"{domain}/{remainder}")
    return match is not None and len(match.group(1)) <= 255


_KNOWN_OS = frozenset({"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux",
                       "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"})
_KNOWN_ARCH = frozenset({"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le", "loong64",
                         "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64",
                         "s390", "s390x", "sparc", "sparc64", "wasm"})
_ARCH_ALIASES = {"i386": "386", "x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm",
                 "armel": "arm"}


def parse_platform(spec: str) -> tuple[str, str] | None:
    """(os, architecture) as containerd's ``platforms.Parse`` reads ``spec``; None if invalid."""
    parts = spec.split("/")
    if "*" in spec or not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"[A-Za-z0-9_.-]+", p) for p in parts):
        return None
    os_name = parts[0].lower().replace("macos", "darwin")
    if len(parts) == 1:
        if os_name in _KNOWN_OS:
            return os_name, "amd64"
        arch = _ARCH_ALIASES.get(os_name, os_name)
        return ("linux", arch) if arch in _KNOWN_ARCH else None
    arch = parts[1].lower()
    return os_name, _ARCH_ALIASES.get(arch, arch)


# --------------------------------------------------------------------------- instruction arguments


def key_values(ins: Instruction, escape: str) -> list[tuple[str, str, bool]]:
    """ENV/LABEL pairs (key, value, legacy ``KEY value`` form), as BuildKit's ``parseNameVal``."""
    words = parse_words(ins.args, escape)
    if not words:
        return []
    if "=" not in words[0]:
        parts = _WHITESPACE.split(ins.args, maxsplit=1)
        return [(parts[0], parts[1], True)] if len(parts) == 2 else []
    return [(k, v, False) for k, _, v in (w.partition("=") for w in words if "=" in w)]


def _copy_sources(ins: Instruction) -> tuple[list[str], str]:
    """Source paths (heredoc sources left out) and destination of a COPY/ADD."""
    words = list(ins.words)
    if len(words) < 2:
        return [], ""
    heredocs = {h.name for h in ins.heredocs}
    sources = [w for w in words[:-1] if not (w.startswith("<<") and w.lstrip("<-").strip("\"'") in heredocs)]
    return sources, words[-1]


def _mount_values(ins: Instruction) -> list[str]:
    values: list[str] = []
    for flag in ins.flags:
        if flag.name != "mount" or not flag.value:
            continue
        for row in csv.reader([flag.value]):
            values.extend(v for _, eq, v in (f.partition("=") for f in row) if eq)
    return values


def _expanded_words(ins: Instruction, escape: str) -> list[str]:
    """The words BuildKit expands (and checks for undefined variables) in ``ins``."""
    keyword = ins.keyword
    if keyword in ("ENV", "LABEL"):
        return [part for k, v, _ in key_values(ins, escape) for part in (k, v)]
    if keyword in ("COPY", "ADD"):
        flags = [f.value or "" for f in ins.flags if f.name in ("chown", "chmod", "checksum")]
        sources, dest = _copy_sources(ins)
        return [*flags, *sources, dest]
    if keyword in ("WORKDIR", "USER", "STOPSIGNAL"):
        return [ins.args]
    if keyword == "VOLUME":
        return list(ins.words)
    if keyword == "RUN":
        return _mount_values(ins)
    return []


# --------------------------------------------------------------------------- state while dispatching


@dataclass
class _StageState:
    env: dict[str, str] = field(default_factory=lambda: {"PATH": DEFAULT_PATH})
    build_args: dict[str, str | None] = field(default_factory=dict)
    shell: tuple[str, ...] = ()
    workdir_set: bool = False

    def inherit(self) -> _StageState:
        return _StageState(dict(self.env), dict(self.build_args), self.shell, self.workdir_set)


@dataclass
class _Checker:
    parsed: ParsedDockerfile
    dockerignore: tuple[IgnorePattern, ...] | None
    build_args: Mapping[str, str]
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lex = Lex(escape=self.parsed.escape)

    def hit(self, rule: str, line: int, message: str, comments: tuple[str, ...] | None) -> None:
        self.hits.append(Hit(rule, line, message, comments))

    # ------------------------------------------------------------------ parse time

    def parse_time(self) -> None:
        for ins in self.parsed.instructions:
            if ins.empty_continuation is not None:
                self.hit("NoEmptyContinuation", ins.empty_continuation, "Empty continuation line", None)
        for ins in self.parsed.instructions:
            if ins.keyword == "MAINTAINER":
                self.hit("MaintainerDeprecated", ins.start, "Maintainer instruction is deprecated in favor of using label",
                         ins.comments)
            elif ins.keyword == "FROM":
                self._from_casing(ins)
            elif ins.keyword == "ARG":
                keys = [w.partition("=")[0] for w in parse_words(ins.args, self.parsed.escape)]
                self._definition_description(ins, "ARG", keys)

    def _from_casing(self, ins: Instruction) -> None:
        args, command = ins.words, ins.raw_keyword
        if len(args) == 3 and args[2] != args[2].lower():
            self.hit("StageNameCasing", ins.start, f"Stage name '{args[2]}' should be lowercase", ins.comments)
        if len(args) >= 3 and command in (command.lower(), command.upper()):
            wanted = args[1].lower() if command == command.lower() else args[1].upper()
            if args[1] != wanted:
                self.hit("FromAsCasing", ins.start, f"'{args[1]}' and '{command}' keywords' casing do not match", ins.comments)
        if len(args) == 3 and args[1].lower() == "as":
            self._definition_description(ins, "FROM", [args[2].lower()])

    def _definition_description(self, ins: Instruction, kind: str, keys: list[str]) -> None:
        if not ins.comments or not keys or ins.comments[-1].split(" ")[0] in keys:
            return
        example = keys[0] if len(keys) == 1 else "<arg_key>"
        self.hit("InvalidDefinitionDescription", ins.start,
                 f"Comment for {kind} should follow the format: `# {example} <description>`", ins.comments)

    # ------------------------------------------------------------------ whole file

    def whole_file(self) -> None:
        commands = [i for s in self.parsed.stages for i in (s.from_instruction, *s.instructions)]
        consistent = [i.raw_keyword for i in commands if i.raw_keyword in (i.raw_keyword.lower(), i.raw_keyword.upper())]
        lower = sum(1 for k in consistent if k == k.lower())
        majority_lower = lower > len(consistent) - lower
        for ins in commands:
            name = ins.raw_keyword
            wrong = name.lower() != name if majority_lower else name.upper() != name
            if wrong:
                casing = "lowercase" if majority_lower else "uppercase"
                self.hit("ConsistentInstructionCasing", ins.start,
                         f"Command '{name}' should match the case of the command majority ({casing})", None)
        seen: set[str] = set()
        for stage in self.parsed.stages:
            if not stage.name:
                continue
            if stage.name in RESERVED_STAGE_NAMES:
                self.hit("ReservedStageName", stage.line,
                         f"Stage name should not use the same name as reserved stage {go_quote(stage.name)}", None)
            if stage.name in seen:
                self.hit("DuplicateStageName", stage.line,
                         f"Duplicate stage name {go_quote(stage.name)}, stage names should be unique", None)
            seen.add(stage.name)

    def default_arg_images(self, target: str) -> None:
        """InvalidDefaultArgInFrom: the base names with only the ARGs' default values."""
        meta = meta_args(self.parsed, default_args(target), {})
        if meta is None:
            return
        for stage in self.parsed.stages:
            try:
                result = self.lex.process_word(stage.base, meta[0]).result
            except LexError:
                return
            if not is_valid_reference(result):
                self.hit("InvalidDefaultArgInFrom", stage.line,
                         f"Default value for ARG {stage.base} results in empty or invalid base image name", None)

    # ------------------------------------------------------------------ stages

    def stages(self, target: str) -> None:
        meta = meta_args(self.parsed, default_args(target), self.build_args)
        if meta is None:
            return
        global_env, declared = meta
        known = list(dict.fromkeys([*declared, *global_env]))
        states: dict[str, _StageState] = {}
        for stage in self.parsed.stages:
            base = self._from_checks(stage, global_env, known)
            parent = states.get(base) if base is not None else None
            state = parent.inherit() if parent is not None else _StageState()
            if parent is None and base:
                state.env.update(image_env(base))
            if stage.name:
                states[stage.name] = state
            self._dispatch(stage, state, global_env)

    def _word(self, text: str, env: Mapping[str, str]) -> WordResult | None:
        try:
            return self.lex.process_word(text, env)
        except LexError:
            return None

    def _from_checks(self, stage: Stage, global_env: dict[str, str], known: list[str]) -> str | None:
        ins = stage.from_instruction
        name_match = self._word(stage.base, global_env)
        if name_match is None:
            return None
        self._undeclared(name_match, known, ins)
        flag = ins.flag("platform")
        if flag is not None and flag.value is not None:
            platform = self._word(flag.value, global_env)
            if platform is not None:
                self._undeclared(platform, known, ins)
                self._platform_checks(stage, flag.value, platform, global_env)
        return name_match.result

    def _undeclared(self, match: WordResult, known: list[str], ins: Instruction) -> None:
        for name in match.unmatched:
            if name not in known:
                hint = suggest(name, known)
                message = f"FROM argument '{name}' is not declared" + (f" (did you mean {hint}?)" if hint else "")
                self.hit("UndefinedArgInFrom", ins.start, message, ins.comments)

    def _platform_checks(self, stage: Stage, raw: str, match: WordResult, env: Mapping[str, str]) -> None:
        ins = stage.from_instruction
        if list(match.matched) == ["TARGETPLATFORM"] and not match.unmatched and match.result == env.get("TARGETPLATFORM"):
            self.hit("RedundantTargetPlatform", ins.start, f"Setting platform to predefined {raw.strip(chr(34))} in FROM "
                     "is redundant as this is the default behavior", ins.comments)
        if match.matched or match.unmatched:
            return
        platform = parse_platform(match.result)
        if platform is None or any(part in (stage.name or "") for part in platform):
            return
        self.hit("FromPlatformFlagConstDisallowed", ins.start,
                 f"FROM --platform flag should not use constant value {go_quote(match.result)}", ins.comments)

    # ------------------------------------------------------------------ dispatch

    def _dispatch(self, stage: Stage, state: _StageState, global_env: Mapping[str, str]) -> None:
        used: dict[str, Instruction] = {}
        for ins in stage.instructions:
            if ins.keyword != "ARG":
                for word in _expanded_words(ins, self.parsed.escape):
                    self._expand(word, state, ins)
                self._expand_heredocs(ins, state)
            handler = _DISPATCH.get(ins.keyword)
            if handler is not None:
                handler(self, ins, state, global_env)
            if ins.keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
                previous = used.get(ins.keyword)
                if previous is not None:
                    self.hit("MultipleInstructionsDisallowed", previous.start,
                             f"Multiple {ins.raw_keyword} instructions should not be used in the same stage because only "
                             "the last one will be used", ins.comments)
                used[ins.keyword] = ins

    def _expand(self, word: str, state: _StageState, ins: Instruction, lex: Lex | None = None) -> str:
        try:
            result = (lex or self.lex).process_word(word, state.env)
        except LexError:
            return word
        for name in result.unmatched:
            if name in state.build_args or name in NON_ENV_ARGS:
                continue
            hint = suggest(name, list(state.env))
            message = f"Usage of undefined variable '${name}'" + (f" (did you mean ${hint}?)" if hint else "")
            self.hit("UndefinedVar", ins.start, message, ins.comments)
        return result.result

    def _expand_heredocs(self, ins: Instruction, state: _StageState) -> None:
        if ins.keyword not in ("COPY", "ADD"):
            return
        raw = Lex(skip_process_quotes=True)
        for heredoc in ins.heredocs:
            if heredoc.expand:
                self._expand(heredoc.content, state, ins, raw)

    def env(self, ins: Instruction, state: _StageState, _global: Mapping[str, str]) -> None:
        pairs = [(self._quiet(k, state), self._quiet(v, state), legacy) for k, v, legacy in key_values(ins, self.parsed.escape)]
        for key, value, legacy in pairs:
            if legacy:
                self._legacy(ins)
            self._secret(ins, "ENV", key)
            state.env[key] = value

    def label(self, ins: Instruction, state: _StageState, _global: Mapping[str, str]) -> None:
        for _key, _value, legacy in key_values(ins, self.parsed.escape):
            if legacy:
                self._legacy(ins)

    def _quiet(self, word: str, state: _StageState) -> str:
        try:
            return self.lex.process_word(word, state.env).result
        except LexError:
            return word

    def _legacy(self, ins: Instruction) -> None:
        self.hit("LegacyKeyValueFormat", ins.start,
                 f'"{ins.raw_keyword} key=value" should be used instead of legacy "{ins.raw_keyword} key value" format',
                 ins.comments)

    def _secret(self, ins: Instruction, kind: str, key: str) -> None:
        if _SECRET.search(key) and not _SECRET_ALLOWED.search(key):
            self.hit("SecretsUsedInArgOrEnv", ins.start,
                     f"Do not use ARG or ENV instructions for sensitive data ({kind} {go_quote(key)})", ins.comments)

    def arg(self, ins: Instruction, state: _StageState, global_env: Mapping[str, str]) -> None:
        for word in parse_words(ins.args, self.parsed.escape):
            key, eq, default = word.partition("=")
            self._secret(ins, "ARG", key)
            value: str | None = None
            if key in self.build_args:
                value = self.build_args[key]
            elif eq:
                value = self._expand(default, state, ins)
            elif key in global_env:
                value = global_env[key]
            if value is not None and key not in NON_ENV_ARGS:
                state.env[key] = value
            state.build_args[key] = value

    def workdir(self, ins: Instruction, state: _StageState, _global: Mapping[str, str]) -> None:
        path = self._quiet(ins.args, state)
        if not state.workdir_set and not path.startswith("/"):
            self.hit("WorkdirRelativePath", ins.start,
                     f"Relative workdir {go_quote(path)} can have unexpected results if the base image changes", ins.comments)
        state.workdir_set = True

    def shell_form(self, ins: Instruction, state: _StageState, _global: Mapping[str, str]) -> None:
        if ins.json is None and not state.shell:
            self.hit("JSONArgsRecommended", ins.start, f"JSON arguments recommended for {ins.raw_keyword} to prevent "
                     "unintended behavior related to OS signals", ins.comments)

    def shell(self, ins: Instruction, state: _StageState, _global: Mapping[str, str]) -> None:
        if ins.json:
            state.shell = ins.json

    def expose(self, ins: Instruction, state: _StageState, _global: Mapping[str, str]) -> None:
        ports: list[str] = []
        for word in sorted(ins.words):
            try:
                ports.extend(self.lex.process_words(word, state.env))
            except LexError:
                ports.append(word)
        for raw in ports:
            parts = raw.split(":")
            container = parts[-1]
            proto = container.partition("/")[2]
            if proto != proto.lower():
                self.hit("ExposeProtoCasing", ins.start,
                         f"Defined protocol '{raw}' in EXPOSE instruction should be lowercase", ins.comments)
            if len(parts) > 1:
                self.hit("ExposeInvalidFormat", ins.start, "EXPOSE instruction should not define an IP address or "
                         f"host-port mapping, found '{raw}'", ins.comments)

    def copy(self, ins: Instruction, state: _StageState, _global: Mapping[str, str]) -> None:
        patterns = self.dockerignore
        if not patterns or any(p.exclusion for p in patterns) or (ins.keyword == "COPY" and ins.flag("from")):
            return
        verb = "Add" if ins.keyword == "ADD" else "Copy"
        for source in _copy_sources(ins)[0]:
            src = self._quiet(source, state)
            if ins.keyword == "ADD" and (src.startswith(("http://", "https://", "git@")) or src.endswith(".git")):
                continue
            clean = posixpath.normpath(src) if src else "."
            clean = "/" + clean.lstrip("/") if clean.startswith("//") else clean
            if clean in (".", "/") and not any(p.pattern in ("*", "**", "**/*") for p in patterns):
                continue
            if is_excluded(clean, patterns):
                self.hit("CopyIgnoredFile", ins.start,
                         f"Attempting to {verb} file {go_quote(clean)} that is excluded by .dockerignore", ins.comments)


_DISPATCH = {
    "ENV": _Checker.env,
    "LABEL": _Checker.label,
    "ARG": _Checker.arg,
    "WORKDIR": _Checker.workdir,
    "CMD": _Checker.shell_form,
    "ENTRYPOINT": _Checker.shell_form,
    "SHELL": _Checker.shell,
    "EXPOSE": _Checker.expose,
    "COPY": _Checker.copy,
    "ADD": _Checker.copy,
}


def buildkit_checks(
    parsed: ParsedDockerfile,
    dockerignore: tuple[IgnorePattern, ...] | None = None,
    build_args: Mapping[str, str] | None = None,
) -> Iterator[Hit]:
    """Every BuildKit check result for ``parsed`` (before ``# check=`` options are applied)."""
    checker = _Checker(parsed, dockerignore, build_args or {})
    target = target_name(parsed)
    checker.parse_time()
    checker.whole_file()
    checker.default_arg_images(target)
    checker.stages(target)
    yield from checker.hits
