"""glamour's own renderer tests, run through `slidekit render --bare --no-split`.

Each case is glamour's Markdown + partial style → expected ANSI output at word
wrap 80 (../shared/conformance/glamour/). slidekit's output must show the same
screen: cell by cell, the character plus foreground, background, bold, italic,
underline and strikethrough (tests/screen.py parses both streams).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from slidekit.cli import main
from tests.screen import parse, text_of

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = tuple(p / "shared" / "conformance" / "glamour" for p in (*ROOT.parents, Path("/work")))
EXAMPLES = next((p / "examples" for p in CANDIDATES if (p / "examples").is_dir()), CANDIDATES[0] / "examples")
#: glamour's test options for some cases (renderer_test.go)
OPTIONS = {"table_truncate": ["--no-table-wrap"], "table_with_inline_links": ["--inline-table-links"]}
GOAL_TEXT, GOAL_CELLS = 31, 28


def _cases() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.golden"))


@pytest.fixture
def render(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., str]:
    """`slidekit render --bare --no-split` in this process (the CLI's entry point, without
    a start-up per case), in a 256-colour terminal as glamour's goldens are."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def run(markdown: Path, style: Path, options: list[str]) -> str:
        capsys.readouterr()
        code = main(["render", "--bare", "--no-split", "--width", "80", "--color", "always",
                     "--theme", str(style), *options, str(markdown)])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert "could not be rendered" not in captured.err, captured.err
        return captured.out

    return run


def test_glamour_conformance(render: Callable[..., str]) -> None:
    cases = _cases()
    if not cases:
        if os.environ.get("CI") == "true":
            pytest.fail(f"glamour conformance data missing: {EXAMPLES}")
        pytest.skip(f"glamour conformance data missing: {EXAMPLES}")
    same_text: list[str] = []
    same_cells: list[str] = []
    for name in cases:
        expected = parse((EXAMPLES / f"{name}.golden").read_text(encoding="utf-8"))
        actual = parse(render(EXAMPLES / f"{name}.md", EXAMPLES / f"{name}.style", OPTIONS.get(name, [])))
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
