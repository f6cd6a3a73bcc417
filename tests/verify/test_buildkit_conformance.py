"""slidekit's static checks against BuildKit's own check tests (tests/fixtures/buildkit-checks).

Every case's Dockerfile goes through the checker with an identity line map and the
case's .dockerignore; the warnings on BuildKit's rule names must be exactly the ones
`docker build --check` gives: same rule, same line, same message, nothing more.
The lexer that expands variables is checked against BuildKit's own lexer tables.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from slidekit.verify.context import parse_dockerignore
from slidekit.verify.model import AssembledDockerfile, Severity
from slidekit.verify.shell_lex import Lex, LexError
from slidekit.verify.static import RULE_INFO, check_dockerfile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = sorted(p for p in (FIXTURES / "buildkit-checks").iterdir() if (p / "expected.json").is_file())
BUILDKIT_RULES = {name for name, info in RULE_INFO.items() if info.buildkit}
Warning_ = tuple[str, int, str]


def _case(folder: Path) -> tuple[dict[str, Any], list[Warning_], list[Warning_]]:
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    text = (folder / "Dockerfile").read_text("utf-8")
    lines = len(text.split("\n"))
    dockerfile = AssembledDockerfile("Dockerfile", text, tuple(range(1, lines + 1)), (0,) * lines, "Dockerfile")
    ignore = folder / ".dockerignore"
    patterns = parse_dockerignore(ignore.read_text("utf-8")) if ignore.is_file() else None
    found = check_dockerfile(dockerfile, None, dockerignore=patterns)
    got = [(f.rule, f.line, f.message) for f in found if f.rule in BUILDKIT_RULES]
    want = [(w["rule"], w["line"], w["detail"]) for w in expected["expected"]]
    if expected["build_err"] and not expected.get("excluded"):
        # where BuildKit's build fails, slidekit reports an error too (exit 1)
        assert any(f.severity is Severity.ERROR for f in found), (folder.name, expected["build_err"])
    return expected, got, want


def test_buildkit_check_conformance(capsys: pytest.CaptureFixture[str]) -> None:
    total = matched = matched_lines = extra = 0
    differences: list[str] = []
    used = 0
    for folder in CASES:
        expected, got, want = _case(folder)
        if expected.get("excluded"):
            continue  # depends on a build option, not on the Dockerfile (see the fixtures' README)
        used += 1
        have, need = Counter(got), Counter(want)
        total += len(want)
        matched += sum((have & need).values())
        matched_lines += sum((Counter(g[:2] for g in got) & Counter(w[:2] for w in want)).values())
        extra += sum((have - need).values())
        if have != need:
            differences.append(f"{folder.name}: missing {sorted((need - have).elements())}, extra {sorted((have - need).elements())}")
    with capsys.disabled():
        print(f"\nBuildKit check conformance ({used} cases): expected warnings matched {matched}/{total} "
              f"(rule and line: {matched_lines}/{total}), extra findings on BuildKit's rule names: {extra}")
    assert used == 85 and total == 67
    assert differences == []
    assert (matched, extra) == (total, 0)


ENV = {"PWD": "/home", "SHELL": "bash", "KOREAN": "한국어", "NULL": ""}
# POSIX/BuildKit word expansion, written from the Dockerfile reference (environment replacement).
WORDS = [
    ("$PWD", "/home"), ("${PWD}", "/home"), ("'$PWD'", "$PWD"), ('"$PWD"', "/home"), ("\\$PWD", "$PWD"),
    ("${NULL:-def}", "def"), ("${NULL-def}", ""), ("${UNSET-def}", "def"), ("${UNSET:-def}", "def"),
    ("${PWD:+alt}", "alt"), ("${NULL:+alt}", ""), ("${NULL+alt}", "alt"), ("${UNSET+alt}", ""),
    ("${KOREAN}", "한국어"), ("he'llo'", "hello"), ('"a b"', "a b"), ("x${PWD}y", "x/homey"),
    ("$UNSET", ""), ('"${UNSET:-a b}"', "a b"),
]


@pytest.mark.parametrize(("source", "expected"), WORDS)
def test_lexer_expands_words_as_buildkit(source: str, expected: str) -> None:
    assert Lex().process_word(source, ENV).result == expected


def test_lexer_required_variable_is_an_error() -> None:
    with pytest.raises(LexError):
        Lex().process_word("${UNSET:?must be set}", ENV)


def test_lexer_splits_words_outside_quotes() -> None:
    assert Lex().process_words('a b "c d" \'e f\' $PWD', ENV) == ["a", "b", "c d", "e f", "/home"]
