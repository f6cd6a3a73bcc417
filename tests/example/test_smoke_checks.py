"""The `checks:` front matter schema and the pure parts of the smoke checks."""

from __future__ import annotations

import pytest

from slidekit.deck.load import load_deck
from slidekit.errors import DeckError
from slidekit.verify.model import Severity
from slidekit.verify.smoke import (
    HttpProbe,
    check_findings,
    evaluate_command,
    evaluate_http,
    parse_checks,
    resolve_stage,
)

from .conftest import DECK


def deck(front_matter: str):  # type: ignore[no-untyped-def]
    return load_deck(f"---\n{front_matter}---\n\n# slide\n", "deck.md")


def test_example_deck_declares_one_check_per_leaf_stage_at_its_line() -> None:
    example = load_deck(DECK.read_text(), str(DECK))
    checks = {c.stage: c for c in parse_checks(example)}
    lines = DECK.read_text().splitlines()
    for stage, check in checks.items():
        assert lines[check.line - 1].strip() == f"{stage}:"
    assert checks["backend"].kind == "http" and checks["backend"].http == HttpProbe(
        80, "/de/", 200, "Hallo aus der backend-Stage"
    )
    assert checks["celery-worker"].command == ("report",)
    assert checks["celery-beat"].command == ("--version",)
    assert checks["chime-event-listener"].command is None and checks["chime-event-listener"].exit_code == 0


def test_full_schema_with_lists_strings_and_files() -> None:
    checks = parse_checks(
        deck(
            "checks:\n"
            "  api:\n"
            "    - command: sh -c 'exit 3'\n"
            "      exit_code: 3\n"
            "      timeout: 5\n"
            "    - http: {port: 8080, path: /health, status: 204}\n"
            "      file: api.Dockerfile\n"
            "  web:\n"
            "    entrypoint: [/bin/sh, -c]\n"
            "    command: [echo hi]\n"
            "    expect_output: ^hi$\n"
        )
    )
    assert [(c.stage, c.line, c.kind) for c in checks] == [("api", 4, "command"), ("api", 7, "http"), ("web", 9, "command")]
    first, second, third = checks
    assert first.command == ("sh", "-c", "exit 3") and first.exit_code == 3 and first.timeout == 5.0
    assert second.http == HttpProbe(8080, "/health", 204, None) and second.file == "api.Dockerfile"
    assert third.entrypoint == ("/bin/sh", "-c") and third.command == ("echo hi",)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("checks:\n  api:\n    comand: [x]\n", 4, "unknown key `comand`"),
        ("checks:\n  api:\n    expect_output: '('\n", 4, "not a valid regular expression"),
        ("checks:\n  api:\n    http: {port: 99999}\n", 4, "port number"),
        ("checks:\n  api:\n    http: {port: 80, body: x}\n", 4, "unknown key `body`"),
        ("checks:\n  api:\n    http: {port: 80}\n    command: [x]\n", 5, "cannot be combined"),
        ("checks:\n  api:\n    timeout: -1\n", 4, "positive number"),
        ("checks:\n  api:\n    exit_code: yes\n", 4, "0 to 255"),
        ("checks:\n  api:\n    command: {a: b}\n", 4, "list of arguments"),
        ("checks:\n  api: [--version]\n", 3, "expected a mapping"),
        ("checks:\n  api: []\n", 3, "empty list"),
    ],
)
def test_malformed_checks_name_their_front_matter_line(body: str, line: int, message: str) -> None:
    with pytest.raises(DeckError) as info:
        parse_checks(deck(body))
    assert info.value.path == "deck.md" and info.value.line == line
    assert message in info.value.message


def test_checks_must_be_a_mapping() -> None:
    with pytest.raises(DeckError) as info:
        deck("checks: [api]\n")
    assert info.value.line == 2


def test_unknown_and_ambiguous_stages_are_findings_at_the_check_line() -> None:
    checks = parse_checks(deck("checks:\n  backend:\n    exit_code: 0\n  api:\n    exit_code: 0\n  web:\n    exit_code: 0\n"))
    stages = [("Dockerfile", "backend"), ("a.Dockerfile", "web"), ("b.Dockerfile", "web")]
    findings = check_findings(checks, stages)
    assert [(f.line, f.severity) for f in findings] == [(5, Severity.ERROR), (7, Severity.ERROR)]
    assert "no stage `api`" in findings[0].message and "backend, web" in findings[0].message
    assert "add `file:`" in findings[1].message
    assert resolve_stage(checks[0], stages) == (("Dockerfile", "backend"), "")


def test_file_picks_among_dockerfiles() -> None:
    (check,) = parse_checks(deck("checks:\n  web:\n    file: b.Dockerfile\n"))
    assert resolve_stage(check, [("a.Dockerfile", "web"), ("b.Dockerfile", "web")])[0] == ("b.Dockerfile", "web")
    assert resolve_stage(check, [("a.Dockerfile", "web")])[0] is None


def test_command_verdicts() -> None:
    (check,) = parse_checks(deck("checks:\n  s:\n    expect_output: '^5\\.\\d+'\n"))
    assert evaluate_command(check, 0, "5.4.0 (opalescent)\n")[0]
    passed, detail = evaluate_command(check, 0, "usage: celery\n")
    assert not passed and "does not match" in detail and "| usage: celery" in detail
    passed, detail = evaluate_command(check, 2, "5.4.0\nboom\n")
    assert not passed and detail.startswith("exit 2, expected 0") and "| boom" in detail


def test_http_verdicts() -> None:
    probe = HttpProbe(80, "/", 200, "Hallo")
    assert evaluate_http(probe, 200, "<p>Hallo</p>")[0]
    assert evaluate_http(probe, 500, "Hallo")[1].startswith("HTTP 500, expected 200")
    assert "does not match /Hallo/" in evaluate_http(probe, 200, "Hello")[1]
