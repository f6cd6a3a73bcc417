"""Static checks on assembled Dockerfiles: a registry of pure rule functions.

Each rule takes a :class:`CheckInput` and yields :class:`Hit` values in
*Dockerfile* lines; :func:`check` maps them to deck lines through the
Dockerfile's line map and attaches the rule's severity. BuildKit's own checks
(:mod:`slidekit.verify.lint`) keep BuildKit's names, messages and severity
(warning) and honour ``# check=skip=…;error=true;experimental=…``: at the top
of the file for all of it, in the comments just before an instruction for that
instruction (:class:`CheckDirective`). slidekit's rules catch what would make
the build fail; ``# check`` leaves them alone. hadolint, when installed, adds
its findings (``source="hadolint"``).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from slidekit.verify.context import IgnorePattern, _translate
from slidekit.verify.dockerfile import KNOWN_INSTRUCTIONS, Instruction, ParsedDockerfile, Stage, arg_defaults, expand, parse_dockerfile
from slidekit.verify.hadolint import HadolintResult, run_hadolint
from slidekit.verify.lint import Hit, buildkit_checks, default_args, meta_args, parse_platform, target_name
from slidekit.verify.model import AssembledDockerfile, Finding, Severity
from slidekit.verify.shell_lex import Lex, LexError, suggest

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class RuleInfo:
    severity: Severity
    summary: str
    buildkit: bool = False  # one of BuildKit's build checks (same name, meaning and message)
    experimental: bool = False  # BuildKit runs it only when `# check=experimental=…` names it


@dataclass(frozen=True)
class CheckInput:
    dockerfile: AssembledDockerfile
    parsed: ParsedDockerfile
    context_files: frozenset[str] | None = None
    dockerignore: tuple[IgnorePattern, ...] | None = None  # the context's .dockerignore (CopyIgnoredFile)


Rule = Callable[[CheckInput], Iterable[Hit]]

RULE_INFO: dict[str, RuleInfo] = {
    "ParseError": RuleInfo(E, "the Dockerfile cannot be parsed"),
    "UnknownInstruction": RuleInfo(E, "not a Dockerfile instruction"),
    "HeredocNeedsBuildKit": RuleInfo(E, "heredocs are not supported by the classic builder `verify` uses"),
    "RequiresBuildKit": RuleInfo(E, "a flag the classic builder rejects (RUN --mount, COPY --link, --chmod …)"),
    "StageUsedBeforeDefinition": RuleInfo(E, "FROM / COPY --from names a stage defined later"),
    "UndefinedStage": RuleInfo(E, "FROM / COPY --from names no stage and is no plausible image (typo?)"),
    "CopyFromOwnStage": RuleInfo(E, "COPY --from names the stage it is in"),
    "CopySourceMissing": RuleInfo(E, "a COPY/ADD source is not in the build context"),
    "InvalidPlatform": RuleInfo(E, "FROM --platform expands to an empty or invalid platform"),
    "StageNameCasing": RuleInfo(W, "stage names should be lowercase", True),
    "FromAsCasing": RuleInfo(W, "the 'as' keyword should match the case of 'FROM'", True),
    "ConsistentInstructionCasing": RuleInfo(W, "instructions should be all upper or all lower case", True),
    "ReservedStageName": RuleInfo(W, "`scratch` and `context` are reserved stage names", True),
    "NoEmptyContinuation": RuleInfo(W, "empty continuation lines will become errors", True),
    "JSONArgsRecommended": RuleInfo(W, "JSON form recommended for CMD/ENTRYPOINT (signals)", True),
    "MaintainerDeprecated": RuleInfo(W, "MAINTAINER is deprecated, use a LABEL", True),
    "MultipleInstructionsDisallowed": RuleInfo(W, "several CMD/ENTRYPOINT/HEALTHCHECK in one stage", True),
    "LegacyKeyValueFormat": RuleInfo(W, "ENV/LABEL should use key=value", True),
    "WorkdirRelativePath": RuleInfo(W, "relative WORKDIR without an absolute one before it (parent stages count)", True),
    "ExposeInvalidFormat": RuleInfo(W, "EXPOSE with an IP address or host:container mapping", True),
    "ExposeProtoCasing": RuleInfo(W, "EXPOSE protocol should be lowercase", True),
    "UndefinedArgInFrom": RuleInfo(W, "FROM uses an ARG not declared before the first FROM", True),
    "RedundantTargetPlatform": RuleInfo(W, "FROM --platform=$TARGETPLATFORM is the default", True),
    "FromPlatformFlagConstDisallowed": RuleInfo(W, "FROM --platform with a constant value", True),
    "SecretsUsedInArgOrEnv": RuleInfo(W, "ARG/ENV name looks like a secret", True),
    "DuplicateStageName": RuleInfo(W, "two stages have the same name", True),
    "UndefinedVar": RuleInfo(W, "a variable used before it is defined", True),
    "InvalidDefaultArgInFrom": RuleInfo(W, "FROM gives no valid image with the ARGs' default values", True),
    "CopyIgnoredFile": RuleInfo(W, "COPY/ADD of a file .dockerignore excludes", True),
    "InvalidDefinitionDescription": RuleInfo(W, "a comment before ARG/FROM that is not `# NAME description`", True, True),
}

BUILDKIT_ONLY_FLAGS = {
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "COPY": frozenset({"chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack"}),
}
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_REF = re.compile(
    rf"^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?(?:@[a-z0-9]+:[a-f0-9]{{32,}})?$"
)


def is_image_reference(value: str) -> bool:
    """Whether ``value`` is a syntactically valid image reference (``name[:tag][@digest]``)."""
    return bool(_IMAGE_REF.match(value))


def _suggest(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]}?)" if close else ""


# --------------------------------------------------------------------------- slidekit rules


def rule_parse_error(c: CheckInput) -> Iterator[Hit]:
    for problem in c.parsed.problems:
        yield Hit("ParseError", problem.line, problem.message)


def rule_unknown_instruction(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        if ins.keyword not in KNOWN_INSTRUCTIONS:
            hint = _suggest(ins.keyword, KNOWN_INSTRUCTIONS, 0.6)
            yield Hit("UnknownInstruction", ins.start, f"unknown instruction {ins.raw_keyword}{hint}")


def rule_heredoc(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        if ins.heredocs:
            yield Hit(
                "HeredocNeedsBuildKit",
                ins.start,
                f"{ins.keyword} <<{ins.heredocs[0].name}: heredocs need BuildKit; the classic builder "
                "that `slidekit verify` drives through the Docker API reads the body as instructions",
            )


def rule_buildkit_flags(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        for flag in ins.flags:
            if flag.name in BUILDKIT_ONLY_FLAGS.get(ins.keyword, ()):
                yield Hit(
                    "RequiresBuildKit",
                    ins.start,
                    f"{ins.keyword} --{flag.name} needs BuildKit; the classic builder used by `slidekit verify` rejects it",
                )


def _stage_refs(stage: Stage, values: dict[str, str | None]) -> Iterator[tuple[str, Instruction, str]]:
    """(kind, instruction, referenced name) for FROM, COPY --from and RUN --mount from=."""
    yield "FROM", stage.from_instruction, expand(stage.base, values)
    for ins in stage.instructions:
        flag = ins.flag("from") if ins.keyword == "COPY" else None
        if flag is not None and flag.value:
            yield "COPY --from", ins, expand(flag.value, values)
        for mount in (f for f in ins.flags if f.name == "mount" and f.value):
            for part in mount.value.split(","):  # type: ignore[union-attr]  # filtered on f.value above
                key, _, value = part.partition("=")
                if key.strip() == "from" and value:
                    yield "RUN --mount from", ins, expand(value, values)


def rule_stage_refs(c: CheckInput) -> Iterator[Hit]:
    values = arg_defaults(c.parsed.global_args)
    names = [s.name for s in c.parsed.stages if s.name]
    for stage in c.parsed.stages:
        for kind, ins, ref in _stage_refs(stage, values):
            if not ref or "$" in ref:
                continue
            yield from _check_ref(c.parsed, stage, kind, ins, ref, names)


def _resolve(parsed: ParsedDockerfile, stage: Stage, kind: str, ref: str) -> Stage | None:
    """The stage ``ref`` names; a FROM never names its own stage (``FROM node AS node`` is the image)."""
    if kind == "FROM" and ref.isdigit():
        return None
    target = parsed.stage_named(ref)
    if kind == "FROM" and target is not None and target.index == stage.index:
        return None
    return target


def _check_ref(parsed: ParsedDockerfile, stage: Stage, kind: str, ins: Instruction, ref: str, names: list[str]) -> Iterator[Hit]:
    shown = f"FROM {ref}" if kind == "FROM" else f"{kind}={ref}"
    target = _resolve(parsed, stage, kind, ref)
    if target is not None:
        if target.index > stage.index:
            yield Hit("StageUsedBeforeDefinition", ins.start,
                      f"`{shown}`: stage {target.label} is only defined later (Dockerfile line {target.line})")
        elif target.index == stage.index:
            yield Hit("CopyFromOwnStage", ins.start, f"`{shown}` names the stage it is in")
        return
    if ref.lower() == "scratch" and kind == "FROM":
        return
    earlier = [s.name for s in parsed.stages[: stage.index] if s.name]
    hint = _suggest(ref.lower(), earlier or names)
    if not is_image_reference(ref):
        yield Hit("UndefinedStage", ins.start, f"`{shown}`: no stage of that name, and not a valid image reference{hint}")
        return
    # A bare name close to a stage name is a typo, not an image; FROM is stricter
    # because short official images (bash vs base) are legitimately close.
    if kind == "FROM" and (len(ref) < 6 or not _suggest(ref.lower(), earlier or names, 0.85)):
        return
    if hint and not any(ch in ref for ch in "/:@"):
        yield Hit("UndefinedStage", ins.start, f"`{shown}`: no stage of that name{hint}")


def _source_present(source: str, files: frozenset[str]) -> bool:
    path = posixpath.normpath(source.lstrip("/")) if source.strip("/") else "."
    if path in (".", ""):
        return True
    if any(ch in path for ch in "*?["):
        regex = re.compile(_translate(path))
        return any(regex.match(f) or any(regex.match(p) for p in _parents(f)) for f in files)
    prefix = path + "/"
    return path in files or any(f.startswith(prefix) for f in files)


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def rule_copy_source(c: CheckInput) -> Iterator[Hit]:
    if c.context_files is None:
        return
    for stage in c.parsed.stages:
        for ins in stage.instructions:
            if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            heredocs = {h.name for h in ins.heredocs}
            for source in ins.words[:-1]:
                if "$" in source or source.lstrip("<-\"'").strip("\"'") in heredocs or "://" in source or source.startswith("git@"):
                    continue
                if posixpath.normpath(source.lstrip("/") or ".").startswith(".."):
                    yield Hit("CopySourceMissing", ins.start, f"{ins.keyword} source `{source}` is outside the build context")
                elif not _source_present(source, c.context_files):
                    yield Hit("CopySourceMissing", ins.start,
                              f"{ins.keyword} source `{source}` is not in the build context (missing, or excluded by .dockerignore)")


def rule_platform(c: CheckInput) -> Iterator[Hit]:
    """FROM --platform as the build expands it (global ARG defaults, predefined platform ARGs)."""
    meta = meta_args(c.parsed, default_args(target_name(c.parsed)), {})
    if meta is None:
        return
    env = meta[0]
    lex = Lex(escape=c.parsed.escape)
    for stage in c.parsed.stages:
        flag = stage.from_instruction.flag("platform")
        if flag is None or flag.value is None:
            continue
        try:
            match = lex.process_word(flag.value, env)
        except LexError as exc:
            yield Hit("InvalidPlatform", stage.line, f"FROM --platform={flag.value}: {exc}")
            continue
        hint = next((h for h in (suggest(name, list(env)) for name in match.unmatched) if h), "")
        tail = f" (did you mean {hint}?)" if hint else ""
        if not match.result:
            yield Hit("InvalidPlatform", stage.line, f"empty platform value from expression {flag.value}{tail}")
        elif parse_platform(match.result) is None:
            yield Hit("InvalidPlatform", stage.line,
                      f"failed to parse platform {flag.value}: {match.result!r} is not a valid platform{tail}")


def rule_buildkit(c: CheckInput) -> Iterator[Hit]:
    """BuildKit's own checks (:mod:`slidekit.verify.lint`)."""
    return buildkit_checks(c.parsed, c.dockerignore)


RULES: dict[str, Rule] = {
    "ParseError": rule_parse_error,
    "UnknownInstruction": rule_unknown_instruction,
    "HeredocNeedsBuildKit": rule_heredoc,
    "RequiresBuildKit": rule_buildkit_flags,
    "StageReferences": rule_stage_refs,  # StageUsedBeforeDefinition, UndefinedStage, CopyFromOwnStage
    "CopySourceMissing": rule_copy_source,
    "InvalidPlatform": rule_platform,
    "BuildKit": rule_buildkit,  # every rule with buildkit=True in RULE_INFO
}

#: hadolint codes that duplicate a slidekit rule (slidekit's finding is kept).
HADOLINT_DUPLICATES = frozenset({"DL1000", "DL3022", "DL3023", "DL3024", "DL3025", "DL3000", "DL3061", "DL4000", "DL4003", "DL4004"})
_HADOLINT_LEVEL = {"error": W, "warning": W, "info": Severity.INFO, "style": Severity.INFO}


# --------------------------------------------------------------------------- running the checks


_DIRECTIVE_LINE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


@dataclass(frozen=True)
class CheckDirective:
    """``# check=skip=A,B;error=true;experimental=C`` (BuildKit's check options)."""

    skip: frozenset[str] = frozenset()
    error: bool = False
    experimental: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, value: str | None) -> CheckDirective:
        """As BuildKit's ``ParseLintOptions`` (an invalid option leaves the defaults)."""
        return cls.parse_strict((value or "").split(" ", 1)[0]) or cls()

    @classmethod
    def parse_strict(cls, value: str) -> CheckDirective | None:
        if not value.strip():
            return cls()
        skip: frozenset[str] = frozenset()
        experimental: frozenset[str] = frozenset()
        error = False
        for part in value.strip().split(";", 2):
            key, eq, val = part.partition("=")
            key, val = key.strip(), val.strip()
            if not eq:
                return None
            if key == "skip":
                skip = frozenset({"all"} if val == "all" else (s.strip() for s in val.split(",")))
            elif key == "experimental":
                experimental = frozenset({"all"} if val == "all" else (s.strip() for s in val.split(",")))
            elif key == "error" and val in _TRUE | _FALSE:
                error = val in _TRUE
            else:
                return None
        return cls(skip, error, experimental)

    def merged(self, comments: tuple[str, ...] | None) -> CheckDirective:
        """With the first ``check=…`` among an instruction's comments: BuildKit applies its
        skip and experimental lists to that instruction (``error`` stays the file's)."""
        for comment in comments or ():
            match = _DIRECTIVE_LINE.match(comment)
            if match is None or match.group(1).lower() != "check":
                continue
            local = self.parse_strict(match.group(2).split(" ", 1)[0])
            if local is None:
                return self
            return CheckDirective(self.skip | local.skip, self.error, self.experimental | local.experimental)
        return self

    def severity(self, rule: str, comments: tuple[str, ...] | None = None) -> Severity | None:
        """The effective severity of ``rule`` (None: skipped, or an experimental rule not enabled)."""
        info = RULE_INFO[rule]
        if not info.buildkit:
            return info.severity
        config = self.merged(comments)
        if info.experimental:
            enabled = rule in config.experimental or "all" in config.experimental
        else:
            enabled = rule not in config.skip and "all" not in config.skip
        if not enabled:
            return None
        return E if self.error else info.severity


def _finding(dockerfile: AssembledDockerfile, severity: Severity, rule: str, line: int, message: str, source: str = "slidekit") -> Finding:
    return Finding(rule, severity, message, dockerfile.deck_path, dockerfile.deck_line(line), dockerfile.name, source)


def check_dockerfile(
    dockerfile: AssembledDockerfile,
    context_files: frozenset[str] | None = None,
    *,
    dockerignore: tuple[IgnorePattern, ...] | None = None,
    rules: dict[str, Rule] | None = None,
    hadolint_results: tuple[HadolintResult, ...] | None = None,
) -> tuple[Finding, ...]:
    """Findings for one Dockerfile (pure: hadolint's output is passed in).

    ``context_files`` (None: unknown) feeds CopySourceMissing, ``dockerignore``
    (the context's patterns) BuildKit's CopyIgnoredFile.
    """
    parsed = parse_dockerfile(dockerfile.text)
    directive = CheckDirective.parse(parsed.directives.get("check"))
    data = CheckInput(dockerfile, parsed, context_files, dockerignore)
    findings: list[Finding] = []
    for rule in (rules or RULES).values():
        for hit in rule(data):
            severity = directive.severity(hit.rule, hit.comments)
            if severity is not None:
                findings.append(_finding(dockerfile, severity, hit.rule, hit.line, hit.message))
    for result in hadolint_results or ():
        if result.code == "DL1000" and not any(f.rule == "ParseError" for f in findings):
            # BuildKit accepts what hadolint's parser does not (e.g. `EXPOSE 127.0.0.1:80:80`):
            # say that hadolint's checks were skipped rather than dropping them silently.
            reason = result.message.splitlines()[0] if result.message else "parse error"
            findings.append(_finding(dockerfile, Severity.INFO, result.code, result.line,
                                     f"hadolint cannot parse this line ({reason}), so it checked nothing in "
                                     f"{dockerfile.name}", "hadolint"))
        elif result.code not in HADOLINT_DUPLICATES:
            severity = _HADOLINT_LEVEL.get(result.level, W)
            findings.append(_finding(dockerfile, severity, result.code, result.line, result.message, "hadolint"))
    return tuple(sorted(findings, key=lambda f: (f.line, f.source != "slidekit", f.rule)))


def check(
    dockerfiles: tuple[AssembledDockerfile, ...],
    context_files: frozenset[str] | None = None,
    *,
    hadolint: bool = True,
    dockerignore: tuple[IgnorePattern, ...] | None = None,
) -> tuple[Finding, ...]:
    """Every static finding for the deck's Dockerfiles, in deck order.

    ``context_files`` are the build context's relative paths after
    ``.dockerignore`` (:func:`slidekit.verify.context.list_context`); None skips
    CopySourceMissing. ``dockerignore`` is the context's ``.dockerignore``
    (:func:`slidekit.verify.context.parse_dockerignore`) for CopyIgnoredFile.
    With ``hadolint=True`` and a ``hadolint`` binary on PATH, its findings are
    included too.
    """
    out: list[Finding] = []
    for dockerfile in dockerfiles:
        results = run_hadolint(dockerfile.text) if hadolint else None
        out.extend(check_dockerfile(dockerfile, context_files, dockerignore=dockerignore, hadolint_results=results))
    return tuple(sorted(out, key=lambda f: (f.line, f.dockerfile)))
