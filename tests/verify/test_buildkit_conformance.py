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


def _table(name: str) -> list[str]:
    return [line.rstrip("\n") for line in (FIXTURES / "buildkit-shell" / name).read_text("utf-8").splitlines()]


def test_lexer_matches_buildkits_env_var_table() -> None:
    env = {"PWD": "/home", "SHELL": "bash", "KOREAN": "한국어", "NULL": ""}
    rows = [line.split("|") for line in _table("envVarTest") if line.strip() and not line.startswith("#")]
    checked = 0
    for platform, source, expected in ((p.strip(), s.strip(), e.strip()) for p, s, e in rows):
        if platform == "W":
            continue
        try:
            result = Lex().process_word(source, env).result
        except LexError:
            result = "error"
        assert result == expected, source
        checked += 1
    assert checked > 200


def test_lexer_matches_buildkits_words_table() -> None:
    env: dict[str, str] = {}
    checked = 0
    for line in _table("wordsTest"):
        if line.startswith("#"):
            continue
        if line.startswith("ENV "):
            key, _, value = line[3:].lstrip(" ").partition("=")
            env[key] = value
            continue
        source, expected = line.split("|")
        try:
            words = Lex().process_words(source.strip(), env)
        except LexError:
            words = ["error"]
        assert words == expected.lstrip(" ").split(","), source
        checked += 1
    assert checked > 20
