"""Leaving the presenter always gives the terminal back: q, ctrl+c and SIGTERM
all leave the alternate screen and show the cursor."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pexpect
import pytest

from tests.present.harness import deck_text, env_without_columns

LEAVE_ALT = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"


@pytest.mark.parametrize("how", ["q", "ctrl+c", "sigterm"])
def test_quit_restores_terminal(tmp_path: Path, how: str) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(deck_text(3))
    env = {**env_without_columns(), "SLIDEKIT_STATE_DIR": str(tmp_path / "state"), "TERM": "xterm-256color"}
    child = pexpect.spawn(sys.executable, ["-m", "slidekit", "present", str(deck)], env=env,
                          dimensions=(24, 80), timeout=10)
    try:
        child.expect_exact(b"Slide 1 / 3")
        assert b"\x1b[?1049h" in child.before + child.after  # entered the alternate screen
        {"q": lambda: child.send("q"), "ctrl+c": lambda: child.send("\x03"),
         "sigterm": lambda: child.kill(signal.SIGTERM)}[how]()
        child.expect(pexpect.EOF)
        tail = child.before
    finally:
        child.close(force=True)
    assert LEAVE_ALT in tail and SHOW_CURSOR in tail
    assert tail.rindex(LEAVE_ALT) > tail.rfind(b"Slide")  # nothing drawn after leaving
    assert child.exitstatus == (143 if how == "sigterm" else 0)
    assert b"Traceback" not in tail and b"error" not in tail


def test_slidekit_deck_shorthand_and_missing_file(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(deck_text(2))
    env = {**env_without_columns(), "SLIDEKIT_STATE_DIR": str(tmp_path / "state")}
    child = pexpect.spawn(sys.executable, ["-m", "slidekit", str(deck)], env=env, dimensions=(24, 80), timeout=10)
    child.expect_exact(b"Slide 1 / 2")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    missing = pexpect.spawn(sys.executable, ["-m", "slidekit", "present", str(tmp_path / "nope.md")], env=env,
                            timeout=10)
    missing.expect(pexpect.EOF)
    missing.close()
    assert b"nope.md: no such file" in missing.before
    assert b"\x1b[?1049h" not in missing.before
    assert missing.exitstatus == 2


CRASH = """
import sys
import slidekit.present.state as sm
from slidekit.cli import main

real = sm.handle
def handle(state, key, view):
    if key == "x":
        raise RuntimeError("injected presenter bug")
    return real(state, key, view)
sm.handle = handle
sys.exit(main(["present", sys.argv[1]]))
"""


def test_crash_restores_terminal_and_reports_one_line(tmp_path: Path) -> None:
    """A bug inside the key loop (injected in the real program) still leaves the
    alternate screen and shows the cursor before the error is printed."""
    deck = tmp_path / "deck.md"
    deck.write_text(deck_text(3))
    env = {**env_without_columns(), "SLIDEKIT_STATE_DIR": str(tmp_path / "state"), "TERM": "xterm-256color"}
    child = pexpect.spawn(sys.executable, ["-c", CRASH, str(deck)], env=env, dimensions=(24, 80), timeout=10)
    try:
        child.expect_exact(b"Slide 1 / 3")
        child.send("x")
        child.expect(pexpect.EOF)
        tail = child.before
    finally:
        child.close(force=True)
    assert LEAVE_ALT in tail and SHOW_CURSOR in tail
    assert b"injected presenter bug" in tail
    assert tail.index(b"injected presenter bug") > tail.rindex(LEAVE_ALT)  # printed on the normal screen
    assert b"Traceback" not in tail
    assert child.exitstatus not in (0, None)
