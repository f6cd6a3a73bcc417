"""glamour's own renderer tests, run through `slidekit render --bare --no-split`.

Each case is glamour's Markdown + partial style → expected ANSI output at word
wrap 80 (../shared/conformance/glamour/). slidekit's output must show the same
screen: cell by cell, the character plus foreground, background, bold, italic,
underline and strikethrough (tests/screen.py parses both streams).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.screen import parse, text_of

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = (ROOT.parent / "shared" / "conformance" / "glamour", Path("/work/shared/conformance/glamour"))
EXAMPLES = next((p / "examples" for p in CANDIDATES if (p / "examples").is_dir()), CANDIDATES[0] / "examples")
#: glamour's test options for some cases (renderer_test.go)
OPTIONS = {"table_truncate": ["--no-table-wrap"], "table_with_inline_links": ["--inline-table-links"]}
GOAL_TEXT, GOAL_CELLS = 31, 28


def _cases() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.golden"))


def _render(name: str) -> str:
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("COLORTERM", None)
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "slidekit", "render", "--bare", "--no-split", "--width", "80",
               "--color", "always", "--theme", str(EXAMPLES / f"{name}.style"), *OPTIONS.get(name, []),
               str(EXAMPLES / f"{name}.md")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "could not be rendered" not in done.stderr, done.stderr
    return done.stdout


def test_glamour_conformance() -> None:
    cases = _cases()
    if not cases:
        if os.environ.get("CI") == "true":
            pytest.fail(f"glamour conformance data missing: {EXAMPLES}")
        pytest.skip(f"glamour conformance data missing: {EXAMPLES}")
    same_text: list[str] = []
    same_cells: list[str] = []
    for name in cases:
        expected = parse((EXAMPLES / f"{name}.golden").read_text(encoding="utf-8"))
        actual = parse(_render(name))
        if text_of(expected) == text_of(actual):
            same_text.append(name)
        if expected == actual:
            same_cells.append(name)
    print(f"\nglamour conformance: {len(same_text)}/{len(cases)} identical text, "
          f"{len(same_cells)}/{len(cases)} identical cells")
    print("different cells:", ", ".join(sorted(set(cases) - set(same_cells))) or "none")
    assert len(cases) == 31
    assert len(same_text) >= GOAL_TEXT, sorted(set(cases) - set(same_text))
    assert len(same_cells) >= GOAL_CELLS, sorted(set(cases) - set(same_cells))


def test_screen_parser_normalises_colours_and_ignores_invisible_padding() -> None:
    a = parse("\x1b[97;48;5;52mab\x1b[m   \n\n")
    b = parse("\x1b[38;5;15m\x1b[48;5;52ma\x1b[0m\x1b[38;5;15;48;5;52mb\x1b[m")
    assert a == b
    assert parse("\x1b[4ma \x1b[m") != parse("\x1b[4ma\x1b[m")  # an underlined blank shows
    assert parse("\x1b]8;;http://x\x07link\x1b]8;;\x07") == parse("link")
