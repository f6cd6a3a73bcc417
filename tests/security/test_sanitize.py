"""S5: nothing from a deck, a command's output or a build log reaches the terminal as
control codes: one sanitizer (slidekit.sanitize) at every sink."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from slidekit import output
from slidekit.deck.load import load_deck
from slidekit.present.notes import NotesView, notes_frame
from slidekit.render.terminal import to_ansi
from slidekit.sanitize import clean
from slidekit.verify.model import StageResult, StageStatus, VerifyReport
from slidekit.verify.progress import PlainProgress
from slidekit.verify.vocab import ProgressEvent, ProgressKind
from slidekit.verify.report import to_text
from tests.security.conftest import Run

PAYLOADS = [
    "\x1b]52;c;cHduZWQ=\x07",   # OSC 52: write the clipboard
    "\x1b]0;owned title\x1b\\",  # OSC 0: window title, ST-terminated
    "\x1b[2J\x1b[H",            # clear screen, home
    "\x9b2J",                   # 8-bit CSI
    "\x9d0;title\x9c",          # 8-bit OSC ... ST
    "\x1bP+q544e\x1b\\",        # DCS
    "\x1b(0",                   # charset switch
    "\x07\x08\r\x0b\x0c\x7f\x85",
]
#: what may remain in rendered output: SGR colour codes slidekit writes itself
SGR = re.compile(r"\x1b\[[0-9;]*m")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_only_sgr(text: str) -> None:
    rest = SGR.sub("", text)
    assert not CONTROL.search(rest), repr(CONTROL.findall(rest))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_strips_sequences_and_controls(payload: str) -> None:
    out = clean(f"a{payload}b\tc\nd")
    assert out.startswith("a") and out.endswith("b\tc\nd") and not CONTROL.search(out)
    assert "owned" not in out and "cHduZWQ" not in out


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x1b\x9b\x9d\x07[];P\\")))
def test_clean_never_leaves_controls(text: str) -> None:
    out = clean(text)
    assert not CONTROL.search(out)
    assert clean(out) == out


@given(st.lists(st.tuples(st.text(max_size=12), st.sampled_from(["", "bold", "red", "on blue"])), max_size=6))
def test_to_ansi_sink_keeps_styles_and_strips_controls(parts: list[tuple[str, str]]) -> None:
    line = Text()
    for text, style in parts:
        line.append(text + "\x1b]0;x\x07\x9b1m", style=style or None)
    assert_only_sgr(to_ansi([line], "truecolor"))
    assert_only_sgr(to_ansi([line], None))


def test_s5_notes_view_strips_escapes_from_speaker_notes() -> None:
    note = "".join(PAYLOADS)
    deck = load_deck(f"# One\n\n<!-- speaker_note: look {note} here -->\n", "d.md")
    view = NotesView(deck, None, time.time())
    rendered = to_ansi(notes_frame(view, 80, 24), "truecolor")
    assert_only_sgr(rendered)
    assert "look" in rendered and "here" in rendered


def test_s5_render_strips_escapes_from_slide_text(tmp_path: Path, slidekit: Run) -> None:
    payload = "".join(PAYLOADS)
    (tmp_path / "d.md").write_text(
        "---\nauthor: \"a\\e]0;owned\\a\\x9b2J\"\n---\n"
        f"# Head {payload}\n\ntext {payload}\n\n```\ncode {payload}\n```\n\n"
        f"| a{payload} | b |\n|---|---|\n| c | d |\n\n- item {payload}\n")
    for color in ("never", "always"):
        result = slidekit("render", "--color", color, "d.md")
        assert result.returncode == 0, result.stderr
        assert_only_sgr(result.stdout)
        assert "Head" in result.stdout and "item" in result.stdout


def test_s5_preprocessing_output_is_cleaned(tmp_path: Path, slidekit: Run) -> None:
    (tmp_path / "d.md").write_text("# t\n\n```\n~~~printf '\\033]52;c;eA==\\007ok\\233'\nx\n~~~\n```\n")
    result = slidekit("render", "--allow-exec", "--color", "always", "d.md")
    assert result.returncode == 0 and "ok" in result.stdout
    assert_only_sgr(result.stdout)


def test_s5_verify_text_report_cleans_build_logs() -> None:
    stage = StageResult("Dockerfile", "base", StageStatus.FAILED, 3, "d.md", message="RUN failed \x1b[2J",
                        log_tail=("\x1b]52;c;cHduZWQ=\x07boom", "\x9b31mred"))
    text = to_text(VerifyReport("d.md", stages=(stage,)))
    assert "boom" in text and "red" in text
    assert not CONTROL.search(text)


def test_s5_errors_and_warnings_are_cleaned(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(output, "stderr", lambda: buffer)
    output.error("d.md:1: bad \x1b]0;title\x07 thing")
    output.warn("w \x9b2J")
    assert buffer.getvalue() == "error: d.md:1: bad  thing\nwarning: w \n"


def test_s5_verify_progress_lines_are_cleaned() -> None:
    buffer = io.StringIO()
    progress = PlainProgress(buffer)
    progress(ProgressEvent(ProgressKind.STAGE, "Dockerfile", "app\x1b]0;owned\x07", status=StageStatus.BUILT,
                           seconds=1.0))
    progress(ProgressEvent(ProgressKind.SMOKE, "Dockerfile", "app", text="command \x9b2J"))
    assert "app" in buffer.getvalue() and not CONTROL.search(buffer.getvalue())
