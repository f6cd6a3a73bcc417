"""The example deck in a real terminal (tmux), read back cell by cell with
``capture-pane -e``: in 256 colours and in truecolor every cell of the screen,
margins, blank rows between the slide and the footer, and the footer included,
carries one of Solarized's colours as its background (the published 256-colour
values in a 256-colour terminal, the hex values in truecolor); no cell is left in
the terminal's own background."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from external_tools import require
from tests.present.harness import TMUX, Tmux, on_slide

ROOT = Path(__file__).resolve().parents[2]
DECK = ROOT / "slides" / "docker-multistage.md"
WIDTH, HEIGHT = 70, 30

SOLARIZED_HEX = {
    "base03": (0x00, 0x2B, 0x36), "base02": (0x07, 0x36, 0x42), "base01": (0x58, 0x6E, 0x75),
    "base00": (0x65, 0x7B, 0x83), "base0": (0x83, 0x94, 0x96), "base1": (0x93, 0xA1, 0xA1),
    "base2": (0xEE, 0xE8, 0xD5), "base3": (0xFD, 0xF6, 0xE3), "yellow": (0xB5, 0x89, 0x00),
    "orange": (0xCB, 0x4B, 0x16), "red": (0xDC, 0x32, 0x2F), "magenta": (0xD3, 0x36, 0x82),
    "violet": (0x6C, 0x71, 0xC4), "blue": (0x26, 0x8B, 0xD2), "cyan": (0x2A, 0xA1, 0x98),
    "green": (0x85, 0x99, 0x00),
}
SOLARIZED_256 = {
    "base03": 234, "base02": 235, "base01": 240, "base00": 241, "base0": 244, "base1": 245,
    "base2": 254, "base3": 230, "yellow": 136, "orange": 166, "red": 160, "magenta": 125,
    "violet": 61, "blue": 33, "cyan": 37, "green": 64,
}
MODES = {
    "256": ({"TERM": "xterm-256color", "COLORTERM": ""}, {("256", n): k for k, n in SOLARIZED_256.items()}),
    "truecolor": ({"TERM": "xterm-256color", "COLORTERM": "truecolor"},
                  {("rgb", rgb): k for k, rgb in SOLARIZED_HEX.items()}),
}
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def cells(screen: str) -> list[list[tuple[str, object, object]]]:
    """``capture-pane -e -N`` output → rows of (char, fg, bg); colours as ("256", n),
    ("rgb", (r, g, b)), ("16", n) or None (the terminal's default). tmux carries SGR
    state across rows, so the parser does too."""
    fg: object = None
    bg: object = None
    rows: list[list[tuple[str, object, object]]] = []
    for line in screen.split("\n")[:HEIGHT]:
        row: list[tuple[str, object, object]] = []
        pos = 0
        for match in _SGR.finditer(line + "\x1b[m"):
            for ch in line[pos:match.start()]:
                row.extend([(ch, fg, bg)] * max(cell_len(ch), 1))
            pos = match.end()
            if match.end() > len(line):
                break
            params = [int(p) if p else 0 for p in re.split("[;:]", match.group(1))] or [0]
            i = 0
            while i < len(params):
                p = params[i]
                if p == 0:
                    fg = bg = None
                elif p in (38, 48) and params[i + 1 : i + 2] == [5]:
                    value: object = ("256", params[i + 2])
                    fg, bg = (value, bg) if p == 38 else (fg, value)
                    i += 2
                elif p in (38, 48) and params[i + 1 : i + 2] == [2]:
                    value = ("rgb", tuple(params[i + 2 : i + 5]))
                    fg, bg = (value, bg) if p == 38 else (fg, value)
                    i += 4
                elif p == 39:
                    fg = None
                elif p == 49:
                    bg = None
                elif 30 <= p <= 37 or 90 <= p <= 97:
                    fg = ("16", p - 30 if p < 90 else p - 82)
                elif 40 <= p <= 47 or 100 <= p <= 107:
                    bg = ("16", p - 40 if p < 100 else p - 92)
                i += 1
        rows.append(row)
    return rows


def check_painted(screen: str, names: dict[object, str], where: str) -> set[str]:
    """Every cell's background is a Solarized colour and each row starts and ends on one;
    returns the names of the backgrounds seen."""
    grid = cells(screen)
    assert len(grid) == HEIGHT, where
    seen: set[str] = set()
    for number, row in enumerate(grid, start=1):
        assert len(row) >= WIDTH, f"{where}: row {number} has {len(row)} cells: {row!r}"
        for column, (ch, _fg, bg) in enumerate(row[:WIDTH], start=1):
            assert bg in names, f"{where}: row {number} col {column} ({ch!r}) background {bg}: not Solarized"
            seen.add(names[bg])
        assert names[row[0][2]] == "base03", f"{where}: row {number} does not start on base03"
    return seen


@pytest.mark.parametrize("mode", sorted(MODES))
def test_example_deck_is_solarized_to_the_edges(tmp_path: Path, mode: str) -> None:
    require(Path(TMUX).exists(), f"tmux at {TMUX}")
    env, names = MODES[mode]
    tmux = Tmux(tmp_path, width=WIDTH, height=HEIGHT)
    try:
        tmux.start("present", str(DECK), "--theme", "solarized_dark", env=env)
        tmux.wait_for(on_slide(1, 8))
        capture = lambda: tmux.tmux("capture-pane", "-p", "-e", "-N", "-t", "main:w0")  # noqa: E731
        first = check_painted(capture(), names, f"{mode} slide 1")
        assert {"base03", "base02", "yellow"} <= first  # page, code panel, h1 banner
        tmux.keys("G")
        tmux.wait_for(on_slide(8, 8))
        screen = tmux.screen()
        assert sum(1 for row in screen.split("\n")[:HEIGHT] if not row.strip()) >= 5  # a short slide
        last = check_painted(capture(), names, f"{mode} slide 8")
        assert "base03" in last
    finally:
        tmux.kill()
