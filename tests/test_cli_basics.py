"""The CLI end to end: `slidekit render`, `slidekit themes`, and every bad input
(one `error: path:line: message` line, exit 2, never a traceback)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from slidekit import __version__
from slidekit.cli import main

ROOT = Path(__file__).resolve().parents[1]
DECK = "---\ntheme: solarized_dark\nauthor: Ada\ndate: 'Talk day'\n---\n# One\n\ntext\n---\n## Two\n\n```dockerfile\nFROM busybox\n```\n"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a subprocess (stdout is a pipe, not a tty)."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("NO_COLOR", "FORCE_COLOR", "COLORTERM", "TERM", "GLAMOUR_STYLE", "COLUMNS")}
    clean.update(env)
    return subprocess.run([sys.executable, "-m", "slidekit", *args], cwd=cwd, env=clean,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture()
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "talk.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def assert_one_line_error(stderr: str, location: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip("\n").split("\n")
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {location}: "), stderr


@pytest.mark.parametrize(("content", "line", "words"), [
    (b"# ok\n\nfine\n\xff\xfe broken\n", 4, "not valid UTF-8"),
    (b"---\ntheme: dark\nauthor: [x\n---\n# one\n", 3, "invalid front matter"),
    (b"# one\n\n```python\nprint(1)\n---\n# two\n", 3, "unclosed code block"),
    (b"# one\n---\n~~~cat\nbody\n", 3, "unclosed ~~~ block"),
    (b"\n\n   \n", 3, "no slides"),
    (b"---\ntimeout: soon\n---\n# one\n", 2, "expected a number"),
])
def test_bad_decks(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, line: int,
                   words: str) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    assert main(["render", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_one_line_error(captured.err, f"{path}:{line}")
    assert words in captured.err


def test_missing_and_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(tmp_path / "nope.md")]) == 2
    assert_one_line_error(capsys.readouterr().err, str(tmp_path / "nope.md"))
    assert main(["render", str(tmp_path)]) == 2
    assert_one_line_error(capsys.readouterr().err, str(tmp_path))


@pytest.mark.parametrize("number", ["0", "3", "-1"])
def test_slide_out_of_range(deck: Path, capsys: pytest.CaptureFixture[str], number: str) -> None:
    assert main(["render", str(deck), "--slide", number]) == 2
    err = capsys.readouterr().err
    assert_one_line_error(err, f"{deck}:14")  # the last line of the last slide
    assert "the deck has 2 slide(s)" in err


def test_bad_input_through_the_real_process(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"# one\n\n```\nunclosed\n")
    result = run(["render", "bad.md"], tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert_one_line_error(result.stderr, "bad.md:3")


def test_render_in_a_pipe_is_plain_and_deterministic(deck: Path) -> None:
    first = run(["render", str(deck), "--width", "50"], deck.parent)
    second = run(["render", str(deck), "--width", "50"], deck.parent)
    assert first.returncode == 0 and first.stderr == ""
    assert first.stdout == second.stdout
    assert "\x1b" not in first.stdout
    lines = first.stdout.rstrip("\n").split("\n")
    assert all(len(line) <= 50 for line in lines)
    assert lines.count("═" * 50) == 1  # one separator between two slides
    assert any("One" in line for line in lines) and any("FROM busybox" in line for line in lines)
    footers = [line for line in lines if "Ada" in line]
    assert len(footers) == 2 and footers[1].rstrip().endswith("Slide 2 / 2") and "Talk day" in footers[0]


def test_color_flags(deck: Path) -> None:
    always = run(["render", str(deck), "--width", "40", "--color", "always"], deck.parent)
    assert "\x1b[" in always.stdout and "38;2;38;139;210" in always.stdout  # solarized blue, truecolor
    eight = run(["render", str(deck), "--width", "40", "--color", "always"], deck.parent, TERM="xterm-256color")
    assert "38;5;" in eight.stdout and "38;2;" not in eight.stdout
    never = run(["render", str(deck), "--width", "40", "--color", "never"], deck.parent, COLORTERM="truecolor")
    assert "\x1b" not in never.stdout
    assert [line.rstrip() for line in never.stdout.splitlines()] == \
        [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip() for line in always.stdout.splitlines()]


def test_no_color_uses_notty(tmp_path: Path) -> None:
    (tmp_path / "plain.md").write_text("# Heading\n\ntext\n", encoding="utf-8")
    result = run(["render", "plain.md", "--width", "30", "--color", "auto"], tmp_path, NO_COLOR="1")
    assert "\x1b" not in result.stdout and "# Heading" in result.stdout  # notty's h1 prefix


def test_slide_option_and_theme_override(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(deck), "--slide", "2", "--width", "30", "--theme", "ascii"]) == 0
    out = capsys.readouterr().out
    assert "═" not in out and "One" not in out
    assert "## Two" in out and "FROM busybox" in out


def test_default_width_follows_columns(deck: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "64")
    assert main(["render", str(deck)]) == 0
    lines = capsys.readouterr().out.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) == 64  # solarized's background fills the width


def test_warnings_do_not_stop_rendering(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.md"
    path.write_text("---\ntheme: nowhere\nmood: happy\n---\n# Hi\n", encoding="utf-8")
    assert main(["render", str(path), "--width", "30"]) == 0
    captured = capsys.readouterr()
    assert "Hi" in captured.out
    assert f"warning: {path}:3: unknown front matter key `mood`" in captured.err
    assert "theme `nowhere` not found" in captured.err


def test_example_deck_renders_every_slide(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(ROOT / "slides" / "docker-multistage.md"), "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert out.count("═" * 100) == 7
    for stage in ("base", "builder", "backend-common", "celery-beat"):
        assert f"FROM {stage}" in out or f"AS {stage}" in out


def test_themes_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["themes"]) == 0
    listed = capsys.readouterr().out.split()
    assert {"dark", "light", "ascii", "notty", "solarized_dark", "solarized_light"} <= set(listed)
    assert main(["themes", "--check", str(ROOT / "themes" / "solarized_dark.json")]) == 0
    assert "31/31 elements, 31/31 chroma keys" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"h1": {"bold": 1}}', encoding="utf-8")
    assert main(["themes", "--check", str(bad)]) == 2
    assert_one_line_error(capsys.readouterr().err, str(bad))


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    assert main(["render", "--help"]) == 0
    help_text = capsys.readouterr().out
    for flag in ("--width", "--slide", "--theme", "--color", "--allow-exec", "--strict"):
        assert flag in help_text


def test_shorthand_accepts_options_before_the_deck(tmp_path) -> None:
    """`slidekit --allow-exec talk.md` means `slidekit present --allow-exec talk.md`."""
    from slidekit.cli import with_shorthand

    deck = tmp_path / "talk.md"
    deck.write_text("# hi\n")
    assert with_shorthand(["--allow-exec", str(deck)]) == ["present", "--allow-exec", str(deck)]
    assert with_shorthand([str(deck), "--notes"]) == ["present", str(deck), "--notes"]
    assert with_shorthand(["render", str(deck)]) == ["render", str(deck)]
    assert with_shorthand(["--help"]) == ["--help"]
    assert with_shorthand(["--version"]) == ["--version"]
    assert with_shorthand(["bogus"]) == ["bogus"]
