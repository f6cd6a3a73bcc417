"""R1 (nesting), R2 (lone surrogates), R3 (theme values), R7 (exit 70 → path:line),
R10 (click usage errors): each gives one clean `error:` line (exit 2), a warning, or
safe behaviour — never a traceback or exit 70."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from slidekit.deck.load import load_deck
from slidekit.errors import DeckError
from slidekit.limits import MAX_NESTING, too_deep
from tests.security.conftest import Run, one_error_line


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- R1


@pytest.mark.parametrize("body", [
    "*a " * 500 + "x" + " a*" * 500,
    "**a " * 400 + "x" + " a**" * 400,
    "[" * 500 + "x" + "](u)" * 500,
    "*a **b ~~c [d " * 150 + "x" + "](u)~~ ** *" * 150,
    "> " * 500 + "x",
    "- " * 500 + "x",
], ids=["emphasis", "strong", "links", "mixed", "quotes", "lists"])
def test_r1_deep_markdown_renders_and_exports(tmp_path: Path, slidekit: Run, body: str) -> None:
    _write(tmp_path, "d.md", f"# t\n\n{body}\n")
    rendered = slidekit("render", "d.md", "--width", "80")
    assert rendered.returncode == 0, rendered.stderr[-500:]
    if not body.startswith((">", "-")):  # markdown-it stops block nesting at 20 levels (the rest is dropped)
        assert "x" in rendered.stdout
    exported = slidekit("export", "d.md", "-o", "d.html")
    assert exported.returncode == 0, exported.stderr[-500:]


@pytest.mark.parametrize(("front", "line"), [
    ("title: " + "[" * 1000 + "]" * 1000, 2),
    ("a: 1\nb: " + "{x: " * 200 + "1" + "}" * 200, 3),
    ("c:\n" + "".join("  " * i + "k:\n" for i in range(1, 600)), 2),
], ids=["flow-list", "flow-map", "block-map"])
def test_r1_deep_front_matter_is_a_path_line_error(tmp_path: Path, slidekit: Run, front: str, line: int) -> None:
    deck = _write(tmp_path, "d.md", f"---\n{front}\n---\n# x\n")
    result = slidekit("render", str(deck))
    assert result.returncode == 2
    assert one_error_line(result) == f"error: {deck}:{line}: invalid front matter: nested more than 64 levels deep"


def test_r1_deep_theme_is_an_error_on_check_and_a_warning_on_render(tmp_path: Path, slidekit: Run) -> None:
    theme = _write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    check = slidekit("themes", "--check", str(theme))
    assert check.returncode == 2
    assert one_error_line(check) == f"error: {theme}:1: invalid theme: nested more than 64 levels deep"
    _write(tmp_path, "d.md", "---\ntheme: deep.json\n---\n# x\n")
    rendered = slidekit("render", "d.md")
    assert rendered.returncode == 0 and "nested more than 64 levels deep; using `dark`" in rendered.stderr


def test_too_deep_counts_only_real_brackets() -> None:
    assert too_deep('{"a": "' + "[" * 500 + '"}') is None
    assert too_deep("a: '" + "[" * 500 + "'  # [[[[", yaml=True) is None
    assert too_deep("[" * (MAX_NESTING + 1)) == 1
    assert too_deep("x:\n  - " + "- " * (MAX_NESTING + 1) + "y", yaml=True) == 2


# --------------------------------------------------------------------------- R2


@pytest.mark.parametrize("value", ['"\\ud83c"', '"\\udfff tail"', '["ok", "\\ud800"]'])
def test_r2_lone_surrogate_in_front_matter(tmp_path: Path, slidekit: Run, value: str) -> None:
    deck = _write(tmp_path, "d.md", f"---\nauthor: x\ntitle: {value}\n---\n# x\n")
    result = slidekit("render", str(deck))
    assert result.returncode == 2
    assert one_error_line(result).startswith(f"error: {deck}:3: invalid front matter: a lone surrogate")


def test_r2_lone_surrogate_in_a_theme(tmp_path: Path, slidekit: Run) -> None:
    theme = _write(tmp_path, "t.json", '{\n "document": {"prefix": "\\udfff"}\n}')
    check = slidekit("themes", "--check", str(theme))
    assert check.returncode == 2 and one_error_line(check).startswith(f"error: {theme}:2: invalid theme: a lone")


# --------------------------------------------------------------------------- R3


@pytest.mark.parametrize("colour", ["١", "٣", "０", "𝟙", "²", "1١"])
def test_r3_non_ascii_digit_colours_rejected_with_path(tmp_path: Path, slidekit: Run, colour: str) -> None:
    theme = _write(tmp_path, "t.json", json.dumps({"document": {"color": colour}}))
    check = slidekit("themes", "--check", str(theme))
    assert check.returncode == 2
    assert one_error_line(check).startswith(f"error: {theme}: invalid theme: document.color:")
    _write(tmp_path, "d.md", "# x\n\ntext\n")
    rendered = slidekit("render", "--theme", str(theme), "d.md")
    assert rendered.returncode == 0 and f"warning: {theme}: invalid theme" in rendered.stderr


@pytest.mark.parametrize(("field", "value"), [("indent", 1_000_000_000), ("margin", 201), ("level_indent", 10**6)])
def test_r3_spacing_bounds(tmp_path: Path, slidekit: Run, field: str, value: int) -> None:
    element = "list" if field == "level_indent" else "block_quote"
    theme = _write(tmp_path, "t.json", json.dumps({element: {field: value}}))
    started = time.monotonic()
    check = slidekit("themes", "--check", str(theme))
    assert check.returncode == 2 and f"{element}.{field}: expected a whole number from 0 to 200" in check.stderr
    _write(tmp_path, "d.md", "# x\n\n> quote\n\n- a\n  - b\n")
    rendered = slidekit("render", "--theme", str(theme), "d.md")
    assert rendered.returncode == 0 and time.monotonic() - started < 30


def test_r3_broken_theme_saved_while_presenting_keeps_the_last_good_theme(tmp_path: Path) -> None:
    theme = _write(tmp_path, "t.json", json.dumps({"document": {"color": "#ff0000"}}))
    deck = _write(tmp_path, "d.md", "---\ntheme: t.json\n---\n# Hello\n\ntext\n")
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "slidekit", "present", str(deck)], cwd=str(tmp_path), env=env,
                          dimensions=(24, 80), timeout=20, encoding="utf-8")
    try:
        child.expect("Slide 1 / 1")
        time.sleep(0.3)
        theme.write_text(json.dumps({"document": {"color": "١"}}))
        child.expect("keeping the last good theme")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


# --------------------------------------------------------------------------- R7


@pytest.mark.parametrize(("front", "message"), [
    ("theme: /", "front matter `theme`: names a folder, not a theme file"),
    ("theme: " + "a" * 300, "front matter `theme`: a file name is longer than 255 bytes"),
    ('context: "a\\0b"', "front matter `context`: contains a NUL character"),
    ("context: " + "a" * 6000, "front matter `context`: longer than 4096 characters"),
    ("image_map: {img: ''}", "front matter `image_map`: 'img': names and references must be non-empty strings"),
    ("timeout: 1.0e+300", "front matter `timeout`: expected a positive number of seconds up to 3600"),
    ("timeout: .inf", "front matter `timeout`: expected a positive number of seconds up to 3600"),
    ("timeout: .nan", "front matter `timeout`: expected a positive number of seconds up to 3600"),
], ids=["theme-root", "theme-long", "context-nul", "context-long", "image-map-empty", "timeout-huge",
        "timeout-inf", "timeout-nan"])
@pytest.mark.parametrize("command", ["render", "verify"])
def test_r7_front_matter_values(tmp_path: Path, slidekit: Run, front: str, message: str, command: str) -> None:
    deck = _write(tmp_path, "d.md", f"---\nauthor: x\n{front}\n---\n# x\n\n```dockerfile\nFROM scratch\n```\n")
    result = slidekit(command, str(deck), timeout=60)
    assert result.returncode == 2
    assert one_error_line(result) == f"error: {deck}:3: {message}"


@pytest.mark.parametrize("timeout", [".nan", ".inf", "-1", "1.0e+300"])
def test_r7_smoke_check_timeouts(tmp_path: Path, timeout: str) -> None:
    from slidekit.verify.smoke import parse_checks

    deck = load_deck(f"---\nchecks:\n  s:\n    command: [x]\n    timeout: {timeout}\n---\n# x\n\n"
                     "```dockerfile\nFROM scratch AS s\n```\n", str(tmp_path / "d.md"))
    with pytest.raises(DeckError, match="timeout") as raised:
        parse_checks(deck)
    assert raised.value.line is not None


@pytest.mark.parametrize(("args", "env", "message"), [
    (["render", "--theme", "."], {}, "error: theme `.`: names a folder, not a theme file"),
    (["render", "--theme", "/"], {}, "error: theme `/`: names a folder, not a theme file"),
    (["render"], {"GLAMOUR_STYLE": "/"}, "error: GLAMOUR_STYLE `/`: names a folder, not a theme file"),
    (["render", "--width", "99999999999999999999"], {},
     "error: Invalid value for '--width' / '-w': 99999999999999999999 is not in the range 1<=x<=2000"),
])
def test_r7_command_line_and_environment(tmp_path: Path, slidekit: Run, args: list[str], env: dict[str, str],
                                         message: str) -> None:
    _write(tmp_path, "d.md", "# x\n")
    result = slidekit(*args, "d.md", env=env)
    assert result.returncode == 2 and one_error_line(result).startswith(message)


def test_r7_huge_columns_is_clamped(tmp_path: Path, slidekit: Run) -> None:
    _write(tmp_path, "d.md", "# x\n")
    result = slidekit("render", "d.md", env={"COLUMNS": "99999999999999999999"})
    assert result.returncode == 0 and max(len(line) for line in result.stdout.splitlines()) <= 2000


# --------------------------------------------------------------------------- R10


@pytest.mark.parametrize(("args", "start"), [
    (["export", "/tmp"], "error: Invalid value for 'DECK': File '/tmp' is a directory"),
    (["render", "--width", "0", "d.md"], "error: Invalid value for '--width' / '-w': 0 is not in the range"),
    (["render", "--bogus", "d.md"], "error: No such option '--bogus'"),
    (["export", "d.md", "--nope"], "error: No such option '--nope'"),
    (["verify"], "error: Missing argument 'DECK"),
])
def test_r10_usage_errors_are_one_line(tmp_path: Path, slidekit: Run, args: list[str], start: str) -> None:
    _write(tmp_path, "d.md", "# x\n")
    result = slidekit(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Usage:" not in result.stderr
    assert one_error_line(result).startswith(start)


def _wait_for(predicate, timeout: float = 30) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_r1_export_watch_survives_deep_saves(tmp_path: Path) -> None:
    deck = _write(tmp_path, "d.md", "# first\n")
    out = tmp_path / "out.html"
    process = subprocess.Popen([sys.executable, "-m", "slidekit", "export", "--watch", str(deck), "-o", str(out)],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: out.exists() and "first" in out.read_text())
        time.sleep(0.5)
        deck.write_text("---\ntitle: " + "[" * 1000 + "]" * 1000 + "\n---\n# x\n")
        time.sleep(1.5)
        deck.write_text("# deep\n\n" + "*a " * 500 + "inner" + " a*" * 500 + "\n")
        assert _wait_for(lambda: "inner" in out.read_text())
        deck.write_text("# fixed\n")
        assert _wait_for(lambda: "fixed" in out.read_text())
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert f"error: {deck}:2: invalid front matter: nested more than 64 levels deep" in err
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("value", ["1e300", "inf", "nan", "-1", "0"])
def test_r7_exec_timeout_from_the_environment_is_bounded(tmp_path: Path, slidekit: Run, value: str) -> None:
    _write(tmp_path, "d.md", "# t\n\n```\n~~~cat\nx\n~~~\n```\n")
    result = slidekit("render", "--allow-exec", "d.md", env={"SLIDEKIT_EXEC_TIMEOUT": value})
    assert result.returncode == 2
    assert one_error_line(result) == (f"error: SLIDEKIT_EXEC_TIMEOUT='{value}': expected a positive number of "
                                      "seconds up to 3600")
