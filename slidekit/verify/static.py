"""Static checks on assembled Dockerfiles: a registry of pure rule functions.

Each rule takes a :class:`CheckInput` and yields :class:`Hit` values in
*Dockerfile* lines; :func:`check` maps them to deck lines through the
Dockerfile's line map and attaches the rule's severity. BuildKit's own checks
keep BuildKit's names and severity (warning) and honour the ``# check=skip=...;
error=true`` parser directive; slidekit's rules catch what would make the build
fail. hadolint, when installed, adds its findings (``source="hadolint"``).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from slidekit.verify.context import _translate
from slidekit.verify.dockerfile import (
    KNOWN_INSTRUCTIONS,
    Instruction,
    ParsedDockerfile,
    Stage,
    arg_defaults,
    expand,
    parse_dockerfile,
    variables,
)
from slidekit.verify.hadolint import HadolintResult, run_hadolint
from slidekit.verify.model import AssembledDockerfile, Finding, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class RuleInfo:
    severity: Severity
    summary: str
    buildkit: bool = False  # one of BuildKit's build checks (same name and meaning)


@dataclass(frozen=True)
class Hit:
    """A rule's result, located in the assembled Dockerfile."""

    rule: str
    line: int
    message: str


@dataclass(frozen=True)
class CheckInput:
    dockerfile: AssembledDockerfile
    parsed: ParsedDockerfile
    context_files: frozenset[str] | None = None


Rule = Callable[[CheckInput], Iterable[Hit]]

RULE_INFO: dict[str, RuleInfo] = {
    "ParseError": RuleInfo(E, "the Dockerfile cannot be parsed"),
    "UnknownInstruction": RuleInfo(E, "not a Dockerfile instruction"),
    "HeredocNeedsBuildKit": RuleInfo(E, "heredocs are not supported by the classic builder `verify` uses"),
    "RequiresBuildKit": RuleInfo(E, "a flag the classic builder rejects (RUN --mount, COPY --link, --chmod …)"),
    "StageUsedBeforeDefinition": RuleInfo(E, "FROM / COPY --from names a stage defined later"),
    "UndefinedStage": RuleInfo(E, "FROM / COPY --from names no stage and is no plausible image (typo?)"),
    "CopyFromOwnStage": RuleInfo(E, "COPY --from names the stage it is in"),
    "DuplicateStageName": RuleInfo(E, "two stages have the same name"),
    "CopySourceMissing": RuleInfo(E, "a COPY/ADD source is not in the build context"),
    "StageNameCasing": RuleInfo(W, "stage names should be lowercase", True),
    "FromAsCasing": RuleInfo(W, "the 'as' keyword should match the case of 'FROM'", True),
    "ConsistentInstructionCasing": RuleInfo(W, "instructions should be all upper or all lower case", True),
    "ReservedStageName": RuleInfo(W, "`scratch` and `context` are reserved stage names", True),
    "NoEmptyContinuation": RuleInfo(W, "empty continuation lines will become errors", True),
    "JSONArgsRecommended": RuleInfo(W, "JSON form recommended for CMD/ENTRYPOINT (signals)", True),
    "MaintainerDeprecated": RuleInfo(W, "MAINTAINER is deprecated, use a LABEL", True),
    "MultipleInstructionsDisallowed": RuleInfo(W, "several CMD/ENTRYPOINT/HEALTHCHECK in one stage", True),
    "LegacyKeyValueFormat": RuleInfo(W, "ENV/LABEL should use key=value", True),
    "WorkdirRelativePath": RuleInfo(W, "relative WORKDIR without an absolute one before it", True),
    "ExposeInvalidFormat": RuleInfo(W, "EXPOSE with an IP address or host:container mapping", True),
    "ExposeProtoCasing": RuleInfo(W, "EXPOSE protocol should be lowercase", True),
    "UndefinedArgInFrom": RuleInfo(W, "FROM uses an ARG not declared before the first FROM", True),
    "RedundantTargetPlatform": RuleInfo(W, "FROM --platform=$TARGETPLATFORM is the default", True),
    "FromPlatformFlagConstDisallowed": RuleInfo(W, "FROM --platform with a constant value", True),
    "SecretsUsedInArgOrEnv": RuleInfo(W, "ARG/ENV name looks like a secret", True),
}

PLATFORM_ARGS = frozenset(
    {"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT"}
)
RESERVED_STAGE_NAMES = frozenset({"scratch", "context"})
BUILDKIT_ONLY_FLAGS = {
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "COPY": frozenset({"chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack"}),
}
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_REF = re.compile(
    rf"^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?(?:@[a-z0-9]+:[a-f0-9]{{32,}})?$"
)
_SECRET = re.compile(r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)")
_PUBLIC = re.compile(r"(?i)(?:_|^)public(?:_|$)")


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


def rule_duplicate_stage(c: CheckInput) -> Iterator[Hit]:
    seen: dict[str, Stage] = {}
    for stage in c.parsed.stages:
        if stage.name is None:
            continue
        if stage.name in seen:
            yield Hit("DuplicateStageName", stage.line,
                      f"Duplicate stage name '{stage.raw_name}', stage names should be unique (first at Dockerfile line {seen[stage.name].line})")
        else:
            seen[stage.name] = stage


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


# --------------------------------------------------------------------------- BuildKit's checks


def rule_stage_name_casing(c: CheckInput) -> Iterator[Hit]:
    for stage in c.parsed.stages:
        if stage.raw_name and stage.raw_name != stage.raw_name.lower():
            yield Hit("StageNameCasing", stage.line, f"Stage name '{stage.raw_name}' should be lowercase")


def rule_from_as_casing(c: CheckInput) -> Iterator[Hit]:
    for stage in c.parsed.stages:
        if stage.raw_name is None:
            continue
        from_kw, as_kw = stage.from_instruction.raw_keyword, stage.from_instruction.words[1]
        if (from_kw.isupper() and not as_kw.isupper()) or (from_kw.islower() and not as_kw.islower()):
            yield Hit("FromAsCasing", stage.line, f"'{as_kw}' and '{from_kw}' keywords' casing do not match")


def rule_instruction_casing(c: CheckInput) -> Iterator[Hit]:
    kinds = Counter("upper" if i.raw_keyword.isupper() else "lower" if i.raw_keyword.islower() else "mixed"
                    for i in c.parsed.instructions)
    majority = "lower" if kinds["lower"] > kinds["upper"] else "upper"
    for ins in c.parsed.instructions:
        if ins.keyword in KNOWN_INSTRUCTIONS and getattr(ins.raw_keyword, f"is{majority}")() is False:
            yield Hit("ConsistentInstructionCasing", ins.start,
                      f"Command '{ins.raw_keyword}' should match the case of the command majority ({majority}case)")


def rule_reserved_stage_name(c: CheckInput) -> Iterator[Hit]:
    for stage in c.parsed.stages:
        if stage.name in RESERVED_STAGE_NAMES:
            yield Hit("ReservedStageName", stage.line, f"Stage name should not use the same name as reserved stage '{stage.name}'")


def rule_empty_continuation(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        if ins.empty_continuation is not None:
            yield Hit("NoEmptyContinuation", ins.empty_continuation, f"Empty continuation line in {ins.keyword} (will become an error in a future release)")


def rule_json_args(c: CheckInput) -> Iterator[Hit]:
    for stage in c.parsed.stages:
        shell_set = False
        for ins in stage.instructions:
            shell_set = shell_set or ins.keyword == "SHELL"
            if ins.keyword in ("CMD", "ENTRYPOINT") and ins.json is None and not shell_set:
                yield Hit("JSONArgsRecommended", ins.start,
                          f"JSON arguments recommended for {ins.keyword} to prevent unintended behavior related to OS signals")


def rule_maintainer(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        if ins.keyword == "MAINTAINER":
            yield Hit("MaintainerDeprecated", ins.start, "Maintainer instruction is deprecated in favor of using label")


def rule_multiple_instructions(c: CheckInput) -> Iterator[Hit]:
    for stage in c.parsed.stages:
        last: dict[str, Instruction] = {}
        for ins in stage.instructions:
            if ins.keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
                if ins.keyword in last:
                    earlier = last[ins.keyword]
                    yield Hit("MultipleInstructionsDisallowed", earlier.start,
                              f"Multiple {ins.keyword} instructions should not be used in the same stage because only the last one will be used")
                last[ins.keyword] = ins


def rule_legacy_key_value(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        if ins.keyword in ("ENV", "LABEL") and ins.words and "=" not in ins.words[0]:
            yield Hit("LegacyKeyValueFormat", ins.start,
                      f'"{ins.keyword} key=value" should be used instead of legacy "{ins.keyword} key value" format')


def rule_workdir_relative(c: CheckInput) -> Iterator[Hit]:
    for stage in c.parsed.stages:
        absolute_seen = False
        for ins in stage.instructions:
            if ins.keyword != "WORKDIR" or not ins.words:
                continue
            path = ins.words[0]
            if path.startswith(("/", "$")) or re.match(r"^[A-Za-z]:[\\/]", path):
                absolute_seen = True
            elif not absolute_seen:
                yield Hit("WorkdirRelativePath", ins.start, f"Relative workdir '{path}' can have unexpected results if the base image changes")


def rule_expose(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        if ins.keyword != "EXPOSE":
            continue
        for word in ins.words:
            port, _, proto = word.partition("/")
            if ":" in port:
                yield Hit("ExposeInvalidFormat", ins.start,
                          f"EXPOSE instruction should not define an IP address or host-port mapping, found '{word}'")
            if proto and proto != proto.lower():
                yield Hit("ExposeProtoCasing", ins.start, f"Defined protocol '{proto}' in EXPOSE instruction should be lowercase")


def rule_undefined_arg_in_from(c: CheckInput) -> Iterator[Hit]:
    declared = set(arg_defaults(c.parsed.global_args)) | PLATFORM_ARGS
    for stage in c.parsed.stages:
        ins = stage.from_instruction
        texts = [ins.args] + [f.value or "" for f in ins.flags if f.name == "platform"]
        for name, has_default in (v for t in texts for v in variables(t)):
            if name not in declared and not has_default:
                yield Hit("UndefinedArgInFrom", ins.start, f"FROM argument '{name}' is not declared{_suggest(name, declared)}")


def rule_platform_flag(c: CheckInput) -> Iterator[Hit]:
    for stage in c.parsed.stages:
        flag = stage.from_instruction.flag("platform")
        if flag is None or not flag.value:
            continue
        if flag.value in ("$TARGETPLATFORM", "${TARGETPLATFORM}"):
            yield Hit("RedundantTargetPlatform", stage.line,
                      "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior")
        elif "$" not in flag.value and not _platform_named(stage, flag.value):
            yield Hit("FromPlatformFlagConstDisallowed", stage.line, f'FROM --platform flag should not use constant value "{flag.value}"')


def _platform_named(stage: Stage, platform: str) -> bool:
    """BuildKit allows a constant platform when the stage name mentions it (``build-arm64``)."""
    return stage.name is not None and any(part and part in stage.name for part in platform.lower().split("/"))


def rule_secrets(c: CheckInput) -> Iterator[Hit]:
    for ins in c.parsed.instructions:
        if ins.keyword not in ("ARG", "ENV"):
            continue
        keys = [w.partition("=")[0] for w in ins.words] if ins.keyword == "ARG" or "=" in ins.args else ins.words[:1]
        for key in keys:
            if _SECRET.search(key) and not _PUBLIC.search(key):
                yield Hit("SecretsUsedInArgOrEnv", ins.start,
                          f'Do not use ARG or ENV instructions for sensitive data ({ins.keyword} "{key}")')


RULES: dict[str, Rule] = {
    "ParseError": rule_parse_error,
    "UnknownInstruction": rule_unknown_instruction,
    "HeredocNeedsBuildKit": rule_heredoc,
    "RequiresBuildKit": rule_buildkit_flags,
    "StageReferences": rule_stage_refs,  # StageUsedBeforeDefinition, UndefinedStage, CopyFromOwnStage
    "DuplicateStageName": rule_duplicate_stage,
    "CopySourceMissing": rule_copy_source,
    "StageNameCasing": rule_stage_name_casing,
    "FromAsCasing": rule_from_as_casing,
    "ConsistentInstructionCasing": rule_instruction_casing,
    "ReservedStageName": rule_reserved_stage_name,
    "NoEmptyContinuation": rule_empty_continuation,
    "JSONArgsRecommended": rule_json_args,
    "MaintainerDeprecated": rule_maintainer,
    "MultipleInstructionsDisallowed": rule_multiple_instructions,
    "LegacyKeyValueFormat": rule_legacy_key_value,
    "WorkdirRelativePath": rule_workdir_relative,
    "Expose": rule_expose,  # ExposeInvalidFormat, ExposeProtoCasing
    "UndefinedArgInFrom": rule_undefined_arg_in_from,
    "PlatformFlag": rule_platform_flag,  # RedundantTargetPlatform, FromPlatformFlagConstDisallowed
    "SecretsUsedInArgOrEnv": rule_secrets,
}

#: hadolint codes that duplicate a slidekit rule (slidekit's finding is kept).
HADOLINT_DUPLICATES = frozenset({"DL1000", "DL3022", "DL3023", "DL3024", "DL3025", "DL3000", "DL3061", "DL4000", "DL4003", "DL4004"})
_HADOLINT_LEVEL = {"error": W, "warning": W, "info": Severity.INFO, "style": Severity.INFO}


# --------------------------------------------------------------------------- running the checks


@dataclass(frozen=True)
class CheckDirective:
    """``# check=skip=A,B;error=true`` (BuildKit's parser directive)."""

    skip: frozenset[str] = frozenset()
    error: bool = False

    @classmethod
    def parse(cls, value: str | None) -> CheckDirective:
        skip: set[str] = set()
        error = False
        for part in (value or "").split(";"):
            key, _, val = part.strip().partition("=")
            if key.strip() == "skip":
                skip |= {s.strip() for s in val.split(",") if s.strip()}
            elif key.strip() == "error":
                error = val.strip().lower() == "true"
        return cls(frozenset(skip), error)

    def severity(self, rule: str) -> Severity | None:
        """The effective severity of ``rule`` (None: skipped)."""
        info = RULE_INFO[rule]
        if not info.buildkit:
            return info.severity
        if rule in self.skip or "all" in self.skip:
            return None
        return E if self.error else info.severity


def _finding(dockerfile: AssembledDockerfile, severity: Severity, rule: str, line: int, message: str, source: str = "slidekit") -> Finding:
    return Finding(rule, severity, message, dockerfile.deck_path, dockerfile.deck_line(line), dockerfile.name, source)


def check_dockerfile(
    dockerfile: AssembledDockerfile,
    context_files: frozenset[str] | None = None,
    *,
    rules: dict[str, Rule] | None = None,
    hadolint_results: tuple[HadolintResult, ...] | None = None,
) -> tuple[Finding, ...]:
    """Findings for one Dockerfile (pure: hadolint's output is passed in)."""
    parsed = parse_dockerfile(dockerfile.text)
    directive = CheckDirective.parse(parsed.directives.get("check"))
    data = CheckInput(dockerfile, parsed, context_files)
    findings: list[Finding] = []
    for rule in (rules or RULES).values():
        for hit in rule(data):
            severity = directive.severity(hit.rule)
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
) -> tuple[Finding, ...]:
    """Every static finding for the deck's Dockerfiles, in deck order.

    ``context_files`` are the build context's relative paths after
    ``.dockerignore`` (:func:`slidekit.verify.context.list_context`); None skips
    CopySourceMissing. With ``hadolint=True`` and a ``hadolint`` binary on PATH,
    its findings are included too.
    """
    out: list[Finding] = []
    for dockerfile in dockerfiles:
        results = run_hadolint(dockerfile.text) if hadolint else None
        out.extend(check_dockerfile(dockerfile, context_files, hadolint_results=results))
    return tuple(sorted(out, key=lambda f: (f.line, f.dockerfile)))
