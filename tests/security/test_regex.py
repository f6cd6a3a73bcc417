"""R5: regexes from a deck (smoke checks' expect_output / HTTP expect) and the
presenter's `/` search run with a time limit; the search is cancelled by a key."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pytest

from slidekit.deck.load import load_deck
from slidekit.present.state import SearchCancelled, View, find
from slidekit.verify.smoke import evaluate_command, evaluate_http, parse_checks

#: catastrophic for the `regex` engine too (it optimises `(a+)+$` away)
EVIL = "(a|aa)+$"
TEXT = "a" * 40 + "!"


def _checks(tmp_path: Path) -> tuple:  # type: ignore[type-arg]
    deck = load_deck(f"---\nchecks:\n  s:\n    command: [x]\n    expect_output: '{EVIL}'\n"
                     f"  h:\n    http: {{port: 80, expect: '{EVIL}'}}\n---\n# x\n\n"
                     "```dockerfile\nFROM scratch AS s\nFROM scratch AS h\n```\n", str(tmp_path / "d.md"))
    return parse_checks(deck)


def test_r5_smoke_expect_output_gives_up(tmp_path: Path) -> None:
    command = next(c for c in _checks(tmp_path) if c.http is None)
    started = time.monotonic()
    passed, detail = evaluate_command(command, 0, TEXT)
    assert not passed and "gave up" in detail and time.monotonic() - started < 10


def test_r5_http_expect_gives_up(tmp_path: Path) -> None:
    probe = next(c for c in _checks(tmp_path) if c.http is not None).http
    assert probe is not None
    started = time.monotonic()
    passed, detail = evaluate_http(probe, 200, TEXT)
    assert not passed and "gave up" in detail and time.monotonic() - started < 10


def test_ordinary_patterns_still_match(tmp_path: Path) -> None:
    command = next(c for c in _checks(tmp_path) if c.http is None)
    assert evaluate_command(command, 0, "aaaa")[0]


def test_r5_search_has_a_budget_and_is_cancellable() -> None:
    view = View((1, 1, 1), ("x", TEXT, "y"))
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        find(view, 0, EVIL, budget=0.5)
    assert time.monotonic() - started < 5
    pressed = View((1, 1, 1), ("x", TEXT, "y"), interrupted=lambda: True)
    started = time.monotonic()
    with pytest.raises(SearchCancelled):
        find(pressed, 0, EVIL)
    assert time.monotonic() - started < 0.5
    assert find(view, 0, "^y$") == 2


def _present(tmp_path: Path) -> pexpect.spawn:
    deck = tmp_path / "d.md"
    deck.write_text("# one\n\n---\n\n# two\n\n" + TEXT + "\n\n---\n\n# three\n")
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "slidekit", "present", str(deck)], cwd=str(tmp_path), env=env,
                          dimensions=(24, 80), timeout=20, encoding="utf-8")
    child.expect("Slide 1 / 3")
    return child


def test_r5_presenter_search_gives_up_and_the_talk_goes_on(tmp_path: Path) -> None:
    child = _present(tmp_path)
    try:
        child.send("/" + EVIL + "\r")
        child.expect("gave up after 1 s", timeout=15)
        child.send("j")
        child.expect("Slide 2 / 3")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_r5_presenter_search_cancelled_by_q(tmp_path: Path) -> None:
    child = _present(tmp_path)
    try:
        child.send("/" + EVIL + "\r")
        time.sleep(0.1)
        started = time.monotonic()
        child.send("q")
        child.expect(pexpect.EOF, timeout=15)
        # the key cancelled the search: it never ran into its 1 s budget (no "gave up" drawn before
        # quitting), and the talk did not hang; no tighter wall-clock bound, which load on the machine would break
        assert "gave up" not in (child.before or "")
        assert time.monotonic() - started < 10
    finally:
        child.close(force=True)
