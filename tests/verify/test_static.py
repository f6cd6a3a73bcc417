from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slidekit.deck.load import load_deck
from slidekit.verify.assemble import assemble
from slidekit.verify.context import parse_dockerignore
from slidekit.verify.hadolint import HadolintResult, hadolint_path, run_hadolint
from slidekit.verify.lint import is_valid_reference
from slidekit.verify.model import Severity
from slidekit.verify.static import RULE_INFO, check, check_dockerfile, is_image_reference

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"
EXAMPLE = Path(__file__).resolve().parents[2] / "slides" / "docker-multistage.md"
OFFSET = 7  # deck line of Dockerfile line 1 in deck_with()


def deck_with(dockerfile: str):  # type: ignore[no-untyped-def]
    """A two-slide deck whose second slide holds ``dockerfile`` (its line 1 is deck line 8)."""
    text = f"# Title\n\n---\n\n## Slide 2\n\n```dockerfile\n{dockerfile}```\n"
    return load_deck(text, "talk.md")


def findings(dockerfile: str, context: frozenset[str] | None = None):  # type: ignore[no-untyped-def]
    return check(assemble(deck_with(dockerfile)), context, hadolint=False)


CASES = [
    ("ParseError", "FROM a\nCOPY x\n", 2, "FROM a\nCOPY x /y\n"),
    ("UnknownInstruction", "FROM a\nCOPPY x /y\n", 2, "FROM a\nCOPY x /y\n"),
    ("HeredocNeedsBuildKit", "FROM a\nRUN <<EOF\necho\nEOF\n", 2, "FROM a\nRUN echo\n"),
    ("RequiresBuildKit", "FROM a\nRUN --mount=type=cache,target=/x true\n", 2, "FROM a\nCOPY --chown=1 x /y\n"),
    ("StageUsedBeforeDefinition", "FROM a AS one\nCOPY --from=two /x /y\nFROM a AS two\n", 2,
     "FROM a AS two\nFROM a AS one\nCOPY --from=two /x /y\n"),
    ("StageUsedBeforeDefinition", "FROM later\nFROM a AS later\n", 1, "FROM a AS later\nFROM later\n"),
    ("UndefinedStage", "FROM a AS builder\nFROM a\nCOPY --from=buidler /x /y\n", 3,
     "FROM a AS builder\nFROM a\nCOPY --from=nginx /x /y\nCOPY --from=0 /x /y\n"),
    ("UndefinedStage", "FROM a\nCOPY --from=Not_An_Image! /x /y\n", 2, "FROM a\nCOPY --from=ghcr.io/org/img:1.2 /x /y\n"),
    ("UndefinedStage", "FROM a AS backend-common\nFROM backend-comon AS api\n", 2,
     "FROM a AS base\nFROM bash\nFROM a AS nodes\nFROM node\n"),
    ("CopyFromOwnStage", "FROM a AS b\nCOPY --from=b /x /y\n", 2, "FROM node AS node\n"),
    ("StageNameCasing", "FROM a AS Build\n", 1, "FROM a AS build\n"),
    ("FromAsCasing", "FROM a as b\n", 1, "from a as b\n"),
    ("ConsistentInstructionCasing", "FROM a\nRUN x\nrun y\n", 3, "FROM a\nRUN x\n"),
    ("ReservedStageName", "FROM a AS scratch\n", 1, "FROM scratch\n"),
    ("NoEmptyContinuation", "FROM a\nRUN a \\\n\n  b\n", 4, "FROM a\nRUN a \\\n  # comment\n  b\n"),
    ("JSONArgsRecommended", "FROM a\nCMD echo hi\n", 2, 'FROM a\nCMD ["echo"]\nFROM a\nSHELL ["sh", "-c"]\nENTRYPOINT run\n'),
    ("MaintainerDeprecated", "FROM a\nMAINTAINER me\n", 2, "FROM a\nLABEL maintainer=me\n"),
    ("MultipleInstructionsDisallowed", 'FROM a\nCMD ["a"]\nCMD ["b"]\n', 2, 'FROM a\nCMD ["a"]\nFROM a\nCMD ["b"]\n'),
    ("LegacyKeyValueFormat", "FROM a\nENV k v\n", 2, "FROM a\nENV k=v\nLABEL a=b\n"),
    ("WorkdirRelativePath", "FROM a\nWORKDIR app\n", 2, "FROM a\nWORKDIR /srv\nWORKDIR app\n"),
    ("ExposeInvalidFormat", "FROM a\nEXPOSE 8080:80\n", 2, "FROM a\nEXPOSE 80/tcp 443\n"),
    ("ExposeProtoCasing", "FROM a\nEXPOSE 80/TCP\n", 2, "FROM a\nEXPOSE 80/udp\n"),
    ("UndefinedArgInFrom", "FROM a:$VERSION\n", 1, "ARG VERSION=1\nARG X\nFROM a:${VERSION}\nFROM b:${X:-1}-$TARGETARCH\n"),
    ("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM a\n", 1, "FROM --platform=$BUILDPLATFORM a\n"),
    ("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 a AS build\n", 1,
     "FROM --platform=linux/amd64 a AS build-amd64\n"),
    ("SecretsUsedInArgOrEnv", "FROM a\nARG API_TOKEN\n", 2,
     "ARG GLOBAL_TOKEN\nFROM a\nARG PUBLIC_KEY\nENV VERSION=1 API_KEY_FILE=/run/k\n# check=skip=SecretsUsedInArgOrEnv\nARG TOKEN\n"),
    ("DuplicateStageName", "FROM a AS b\nFROM a AS B\n", 2, "FROM a AS b\nFROM a AS c\n"),
    ("InvalidPlatform", "FROM --platform=$BULIDPLATFORM a\n", 1,
     "ARG P=linux/arm64\nFROM --platform=$BUILDPLATFORM a\nFROM --platform=${P} b AS arm64\n"),
    ("UndefinedVar", "FROM a\nENV PATH=$PAHT:/x\n", 2, "FROM a AS base\nARG V=1\nFROM base\nENV PATH=$PATH:/x W=$V\n"),
    ("InvalidDefaultArgInFrom", "ARG TAG\nFROM a:$TAG\n", 2, 'ARG TAG="1"\nFROM a:${TAG}\nFROM b:stable${TAG}\n'),
    ("InvalidDefinitionDescription", "# check=experimental=InvalidDefinitionDescription\nFROM a\n# the version\nARG V\n", 4,
     "# check=experimental=InvalidDefinitionDescription\nFROM a\n# V the version\nARG V\n#\nARG W\n"),
]


@pytest.mark.parametrize(("rule", "bad", "line", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_at_the_deck_line_and_not_on_the_fixed_text(rule: str, bad: str, line: int, good: str) -> None:
    hits = [f for f in findings(bad) if f.rule == rule]
    assert [(f.path, f.line) for f in hits] == [("talk.md", OFFSET + line)]
    assert hits[0].severity is RULE_INFO[rule].severity
    assert [f for f in findings(good) if f.rule == rule] == []


def test_every_rule_is_covered_by_a_case() -> None:
    # tested with a context (and its .dockerignore) below
    assert set(RULE_INFO) - {c[0] for c in CASES} == {"CopySourceMissing", "CopyIgnoredFile"}


def test_suggestions_name_the_intended_stage_and_instruction() -> None:
    messages = {f.rule: f.message for f in findings("FROM a AS builder\nFROM a\nCOPPY x y\nCOPY --from=buidler /x /y\n")}
    assert "did you mean builder?" in messages["UndefinedStage"]
    assert "did you mean COPY?" in messages["UnknownInstruction"]


def test_the_example_deck_has_exactly_one_warning_on_its_backend_slide() -> None:
    deck = load_deck(EXAMPLE.read_text(), str(EXAMPLE))
    line = next(n for n, text in enumerate(EXAMPLE.read_text().splitlines(), 1) if text == "FROM backend-common as backend")
    result = check(assemble(deck), None, hadolint=False)
    assert [(f.rule, f.severity, f.path, f.line) for f in result] == [("FromAsCasing", Severity.WARNING, str(EXAMPLE), line)]


def test_typo_deck_reports_on_slide_five() -> None:
    path = FIXTURES / "typo.md"
    deck = load_deck(path.read_text(), str(path))
    source = path.read_text().splitlines()
    result = {f.rule: f for f in check(assemble(deck), None, hadolint=False)}
    assert source[result["UndefinedStage"].line - 1] == "COPY --from=buidler /out /out"
    assert source[result["StageUsedBeforeDefinition"].line - 1] == "COPY --from=later /out /out2"
    slide5 = deck.slides[4].span
    assert result["UndefinedStage"].line in slide5


def test_check_directive_skips_and_promotes_buildkit_rules_only() -> None:
    skipped = findings("# check=skip=FromAsCasing,StageNameCasing\nFROM a as Build\nCOPPY x y\n")
    assert [f.rule for f in skipped] == ["UnknownInstruction"]
    promoted = findings("# check=error=true\nFROM a as b\n")
    assert [(f.rule, f.severity) for f in promoted] == [("FromAsCasing", Severity.ERROR)]
    assert findings("# check=skip=DuplicateStageName\nFROM a AS b\nFROM a AS b\n") == ()
    everything = findings("# check=skip=all\nFROM a as Build\nRUN <<EOF\nEOF\n")
    assert [f.rule for f in everything] == ["HeredocNeedsBuildKit"]


def test_copy_source_missing_against_context_files() -> None:
    context = frozenset({"app/main.py", "requirements.txt", "static/css/site.css", "empty"})
    text = (
        "FROM a AS b\nCOPY requirements.txt app /srv/\nCOPY static/*/site.css /s/\nCOPY . /all\n"
        "ADD https://example.com/x.tgz /x\nCOPY --from=b /missing /y\nCOPY ${SRC} /z\nCOPY <<EOF /h\nEOF\n"
        "COPY empty /e\nCOPY missing.txt /m\nCOPY ../secret /s\nCOPY src/*.py /p/\n"
    )
    hits = [(f.line - OFFSET, f.message) for f in findings(text, context) if f.rule == "CopySourceMissing"]
    assert [line for line, _ in hits] == [11, 12, 13]
    assert "`missing.txt` is not in the build context" in hits[0][1]
    assert "outside the build context" in hits[1][1]
    assert [f for f in findings(text, None) if f.rule == "CopySourceMissing"] == []


def test_findings_keep_the_dockerfile_name_in_multi_file_decks() -> None:
    path = FIXTURES / "multi.md"
    deck = load_deck(path.read_text(), str(path))
    result = check(assemble(deck), None, hadolint=False)
    assert result == ()
    other = load_deck("```dockerfile file=api\nFROM a as b\n```\n\n```dockerfile file=web\nFROM c as d\n```\n", "two.md")
    assert [(f.dockerfile, f.line) for f in check(assemble(other), None, hadolint=False)] == [("api", 2), ("web", 6)]


def test_hadolint_results_are_mapped_deduplicated_and_capped_at_warning() -> None:
    (dockerfile,) = assemble(deck_with("FROM a\nRUN cd /x\nCMD echo\n"))
    results = (
        HadolintResult("DL3003", "warning", "Use WORKDIR", 2),
        HadolintResult("DL3025", "warning", "Use JSON", 3),  # duplicate of JSONArgsRecommended
        HadolintResult("DL3000", "error", "absolute WORKDIR", 2),  # duplicate of WorkdirRelativePath
        HadolintResult("DL3004", "error", "no sudo", 2),
        HadolintResult("DL3059", "info", "consolidate", 3),
    )
    out = [(f.rule, f.severity, f.line, f.source) for f in check_dockerfile(dockerfile, hadolint_results=results)]
    assert ("DL3003", Severity.WARNING, OFFSET + 2, "hadolint") in out
    assert ("DL3004", Severity.WARNING, OFFSET + 2, "hadolint") in out
    assert ("DL3059", Severity.INFO, OFFSET + 3, "hadolint") in out
    assert not any(rule in ("DL3025", "DL3000") for rule, *_ in out)
    assert ("JSONArgsRecommended", Severity.WARNING, OFFSET + 3, "slidekit") in out


def test_real_hadolint_findings_point_at_deck_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from external_tools import require

    require(hadolint_path() is not None, "hadolint (pip install slidekit[hadolint])")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    result = check(assemble(deck_with("FROM a:1\nRUN cd /x && make\n")), None)
    assert ("DL3003", OFFSET + 2) in [(f.rule, f.line) for f in result if f.source == "hadolint"]


@pytest.mark.parametrize("ref", ["alpine", "alpine:3.19", "ghcr.io/a/b:1", "localhost:5000/x", "a@sha256:" + "0" * 64])
def test_plausible_image_references(ref: str) -> None:
    assert is_image_reference(ref)


@pytest.mark.parametrize("ref", ["Builder", "a b", "x!", "-a", "a:"])
def test_implausible_image_references(ref: str) -> None:
    assert not is_image_reference(ref)


def test_hadolint_runs_once_per_unchanged_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    calls = tmp_path / "calls"
    fake = tmp_path / "hadolint"
    fake.write_text(f"#!/bin/sh\necho x >> {calls}\n"
                    'echo \'[{"code":"DL3003","level":"warning","message":"m","line":2}]\'\n')
    fake.chmod(0o755)
    first = run_hadolint("FROM a\nRUN cd x\n", str(fake))
    again = run_hadolint("FROM a\nRUN cd x\n", str(fake))
    other = run_hadolint("FROM b\n", str(fake))
    assert first == again == other == (HadolintResult("DL3003", "warning", "m", 2),)
    assert calls.read_text().count("x") == 2
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3003]\n")  # a config change invalidates
    run_hadolint("FROM a\nRUN cd x\n", str(fake))
    assert calls.read_text().count("x") == 3


def test_hadolint_missing_or_broken_gives_none(tmp_path: Path) -> None:
    broken = tmp_path / "hadolint"
    broken.write_text("#!/bin/sh\necho not json\n")
    broken.chmod(0o755)
    assert run_hadolint("FROM a\n", str(broken), use_cache=False) is None
    assert run_hadolint("FROM a\n", str(tmp_path / "absent"), use_cache=False) is None


def test_hadolint_parse_failure_is_said_not_dropped() -> None:
    (dockerfile,) = assemble(deck_with("FROM a\nEXPOSE 127.0.0.1:80:80\n"))
    failed = (HadolintResult("DL1000", "error", "unexpected '.'\nexpecting a new line", 2),)
    out = [(f.rule, f.severity, f.line, f.source) for f in check_dockerfile(dockerfile, hadolint_results=failed)]
    assert ("DL1000", Severity.INFO, OFFSET + 2, "hadolint") in out
    # When slidekit's own parser fails too, its ParseError says it already.
    (broken,) = assemble(deck_with("FROM a\nCOPY x\n"))
    out = [f.rule for f in check_dockerfile(broken, hadolint_results=(HadolintResult("DL1000", "error", "x", 2),))]
    assert "ParseError" in out and "DL1000" not in out


def test_check_skip_in_the_comments_before_an_instruction_applies_to_it_only() -> None:
    text = ("FROM a\n# check=skip=LegacyKeyValueFormat // old style on purpose\nENV k v\nENV l w\n"
            "# explains the next line\n# check=skip=all\n\nLABEL x y\n#\nLABEL z y\n")
    assert [(f.rule, f.line - OFFSET) for f in findings(text)] == [
        ("LegacyKeyValueFormat", 4), ("LegacyKeyValueFormat", 10)]


def test_a_stage_inherits_shell_workdir_env_and_args_from_its_parent() -> None:
    text = ('FROM a AS base\nSHELL ["/bin/bash", "-c"]\nWORKDIR /srv\nARG V\nENV HOME_DIR=/home\n'
            "FROM base AS app\nWORKDIR app\nCOPY $V $HOME_DIR/\nCMD run\n"
            "FROM a\nWORKDIR app\nCOPY $V /\nCMD run\n")
    assert [(f.rule, f.line - OFFSET) for f in findings(text)] == [
        ("WorkdirRelativePath", 11), ("UndefinedVar", 12), ("JSONArgsRecommended", 13)]


def test_quoted_and_defaulted_from_arguments_resolve_as_in_buildkit() -> None:
    # jenkinsci/docker style: FROM alpine:"${ALPINE_TAG}" is the image alpine:3.20, not a stage typo
    text = 'ARG ALPINE_TAG=3.20\nARG JAVA=""\nFROM alpine:"${ALPINE_TAG}" AS base\nFROM eclipse-temurin:${JAVA:-21}-jdk AS jdk\n'
    assert findings(text) == ()


def test_copy_ignored_file_uses_the_context_dockerignore() -> None:
    patterns = parse_dockerignore("secrets/\n*.log\n")
    deck = assemble(deck_with("FROM a AS b\nCOPY secrets/key.pem app.log /x/\nCOPY src /src\nFROM a\nCOPY --from=b /app.log /y\n"))
    hits = [(f.line - OFFSET, f.message) for f in check(deck, None, hadolint=False, dockerignore=patterns)]
    assert hits == [(2, 'Attempting to Copy file "secrets/key.pem" that is excluded by .dockerignore'),
                    (2, 'Attempting to Copy file "app.log" that is excluded by .dockerignore')]
    # with a `!` re-include BuildKit cannot tell statically, and says nothing
    assert check(deck, None, hadolint=False, dockerignore=parse_dockerignore("*.log\n!keep.log\n")) == ()


LINES = st.sampled_from([
    "FROM a AS b", "from ${X:?boom}", "FROM", "FROM $UNSET", 'FROM alpine:"${V', "ARG", "ARG =x", "ARG V=${V:-1}",
    "ENV", "ENV k", "ENV a=$b c=${d%%*x}", "LABEL k v w", "EXPOSE 80/TCP 1:2:3:4 ${P}/udp", "EXPOSE '", "WORKDIR",
    "WORKDIR ${W:+rel}", "COPY a", "COPY --from=b x ${Y/a/b} /d", 'RUN --mount=type=cache,"target=/x', "RUN --mount=",
    "CMD x", "CMD [\"a\"]", "SHELL [\"sh\"]", "SHELL sh", "HEALTHCHECK NONE", "# check=skip=all", "# check=bogus",
    "#", "# V doc", "RUN x \\", "", "COPY <<EOF /a", "$X", "EOF", "ONBUILD RUN x", "USER ${U:-root}", "ADD https://x/y /z",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=20))
def test_the_checks_never_raise_and_stay_inside_the_dockerfile(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    deck = assemble(deck_with(text))
    result = check(deck, frozenset({"a", "x"}), hadolint=False, dockerignore=parse_dockerignore("x\n*.log\n"))
    assert all(OFFSET < f.line <= OFFSET + max(len(lines), 1) for f in result)


def test_variables_a_known_official_base_image_defines_are_not_undefined() -> None:
    text = "FROM golang:1.23 AS build\nWORKDIR $GOPATH/src/app\nENV X=$GOPTH\nFROM docker.io/library/python:3.12\nENV P=$PYTHON_VERSION Q=$GOPATH\n"
    assert [(f.rule, f.line - OFFSET, f.message) for f in findings(text)] == [
        ("UndefinedVar", 3, "Usage of undefined variable '$GOPTH' (did you mean $GOPATH?)"),
        ("UndefinedVar", 5, "Usage of undefined variable '$GOPATH' (did you mean $PATH?)")]


@pytest.mark.parametrize(("ref", "valid"), [
    ("quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", True), ("busybox:", False), ("", False), ("Busybox", False),
    ("alpine@sha256:" + "a" * 64, True), ("a" * 64, False), ("ghcr.io/Org/img", False), ("localhost:5000/a/b:1", True),
])
def test_base_names_are_checked_as_docker_parses_references(ref: str, valid: bool) -> None:
    assert is_valid_reference(ref) is valid
