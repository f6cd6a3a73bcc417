"""The presenting features in the real presenter inside tmux: columns side by side at 100 and 60 columns,
``{1|2|all}`` steps forward and back (dimmed lines read back as SGR 2 from tmux), title slides centred, the
``--duration`` countdown in the notes view with p (pause) and r (reset), and in the footer."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from external_tools import require
from tests.present.harness import TMUX, Tmux, footer, on_slide

DECK = """---
author: Tester
---

# Columns

<!-- column_layout: [1, 1] -->
<!-- column: 0 -->

LEFTWORD

<!-- column: 1 -->

RIGHTWORD

---

# Code

```python {1|2|all}
alpha = 1
beta = 2
```

---

<!-- title_slide -->

# Centred title
"""


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    require(Path(TMUX).exists(), f"tmux at {TMUX}")
    session = Tmux(tmp_path, width=100, height=24)
    yield session
    session.kill()


def start(tmux: Tmux, tmp_path: Path, *args: str) -> Path:
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, encoding="utf-8")
    tmux.start("present", str(deck), *args)
    tmux.wait_for(on_slide(1, 3))
    return deck


def styled(tmux: Tmux) -> str:
    return tmux.tmux("capture-pane", "-p", "-e", "-t", "main:w0")


def dimmed(screen: str, word: str) -> bool:
    """Whether ``word`` is drawn faint (SGR 2 in force where it starts)."""
    line = next(row for row in screen.split("\n") if word in row)
    before = line[: line.index(word)]
    codes = re.findall(r"\x1b\[([0-9;]*)m", before)
    faint = False
    for code in codes:
        params = code.split(";") if code else ["0"]
        for p in params:
            if p in ("0", "22"):
                faint = False
            elif p == "2":
                faint = True
    return faint


@pytest.mark.parametrize("width", [100, 60])
def test_columns_side_by_side(tmux: Tmux, tmp_path: Path, width: int) -> None:
    tmux.width = width
    start(tmux, tmp_path)
    screen = tmux.wait_for("LEFTWORD")
    row = next(line for line in screen.split("\n") if "LEFTWORD" in line)
    assert "RIGHTWORD" in row
    assert row.index("RIGHTWORD") >= width // 2


def test_highlight_steps_forward_and_back(tmux: Tmux, tmp_path: Path) -> None:
    start(tmux, tmp_path)
    tmux.keys("n")
    tmux.wait_for(on_slide(2, 3))
    tmux.wait_for("beta")
    screen = styled(tmux)
    assert not dimmed(screen, "alpha") and dimmed(screen, "beta")
    tmux.keys("n")  # step 2: line 2
    tmux.wait_for(lambda _: dimmed(styled(tmux), "alpha"))
    assert not dimmed(styled(tmux), "beta")
    assert "Slide 2 / 3" in footer(tmux.screen())
    tmux.keys("n")  # step 3: all
    tmux.wait_for(lambda _: not dimmed(styled(tmux), "alpha") and not dimmed(styled(tmux), "beta"))
    tmux.keys("p")  # back to line 2
    tmux.wait_for(lambda _: dimmed(styled(tmux), "alpha") and not dimmed(styled(tmux), "beta"))
    tmux.keys("p")  # back to line 1
    tmux.wait_for(lambda _: not dimmed(styled(tmux), "alpha") and dimmed(styled(tmux), "beta"))
    tmux.keys("n", "n", "n")
    screen = tmux.wait_for(on_slide(3, 3))
    rows = screen.split("\n")
    (row,) = [i for i, line in enumerate(rows) if "Centred title" in line]
    assert 8 <= row <= 13 and rows[row].index("Centred") > 30  # centred both ways


def test_countdown_in_the_notes_view_pauses_and_resets(tmux: Tmux, tmp_path: Path) -> None:
    deck = start(tmux, tmp_path, "--duration", "6m")
    assert re.search(r"⏳ 5:5\d left", footer(tmux.screen()))  # in the presenter's footer
    notes = tmux.start("present", str(deck), "--notes", "--duration", "5m")
    screen = tmux.wait_for(lambda s: bool(re.search(r"⏳ 4:5\d left", s)), target=notes)
    assert "ahead" in screen or "behind" in screen
    line = next(row for row in tmux.tmux("capture-pane", "-p", "-e", "-t", notes).split("\n") if "⏳" in row)
    assert "\x1b[1m\x1b[33m" in line or re.search(r"\x1b\[[0-9;]*33[;m]", line)  # yellow: the last 5 minutes
    tmux.keys("p", target=notes)
    screen = tmux.wait_for("(paused)", target=notes)
    shown = re.search(r"⏳ (\d:\d\d) left", screen).group(1)  # type: ignore[union-attr]
    time.sleep(1.5)
    assert re.search(r"⏳ (\d:\d\d) left", tmux.screen(notes)).group(1) == shown  # type: ignore[union-attr]
    tmux.keys("r", target=notes)
    tmux.wait_for(lambda s: "⏳ 5:00 left" in s and "(paused)" in s, target=notes)
    tmux.keys("p", target=notes)
    tmux.wait_for(lambda s: bool(re.search(r"⏳ 4:5\d left", s)) and "(paused)" not in s, target=notes)


def test_countdown_turns_red_at_zero(tmux: Tmux, tmp_path: Path) -> None:
    deck = start(tmux, tmp_path)
    notes = tmux.start("present", str(deck), "--notes", "--duration", "1s")
    tmux.wait_for("over by", target=notes)
    line = next(row for row in tmux.tmux("capture-pane", "-p", "-e", "-t", notes).split("\n") if "⏳" in row)
    assert re.search(r"\x1b\[[0-9;]*41[;m]", line)  # white on red
