"""A deck holding every Pygments lexer's snippet, presented through a real pty (tmux)
in a 256-colour terminal: every slide shows, none says it cannot render, the colours
on screen are 256-colour codes, and the presenter quits cleanly with nothing on stderr."""

from __future__ import annotations

from pathlib import Path

from external_tools import require
from tests.present.harness import TMUX, Tmux, on_slide
from tests.render_sweep.common import fence
from tests.render_sweep.snippets import lexer_names, snippet

PER_SLIDE = 20


def test_every_lexer_in_the_presenter_in_256_colours(tmp_path: Path) -> None:
    require(Path(TMUX).exists(), f"tmux at {TMUX}")
    names = lexer_names()
    groups = [names[i : i + PER_SLIDE] for i in range(0, len(names), PER_SLIDE)]
    slides = ["\n".join([f"# Lexers {n + 1}", *(fence(snippet(a), a) for a in group)]) for n, group in enumerate(groups)]
    deck = tmp_path / "lexers.md"
    deck.write_text("---\ntheme: solarized_dark\nauthor: sweep\n---\n\n" + "\n---\n\n".join(slides), encoding="utf-8")
    total = len(slides)
    tmux = Tmux(tmp_path, width=90, height=30)
    try:
        tmux.start("present", str(deck), env={"TERM": "xterm-256color", "COLORTERM": ""})
        for number in range(1, total + 1):
            screen = tmux.wait_for(on_slide(number, total), timeout=30)
            assert "cannot render" not in screen, screen
            assert f"Lexers {number}" in screen
            colours = tmux.tmux("capture-pane", "-p", "-e", "-t", "main:w0")
            assert "38;5;" in colours and "38;2;" not in colours  # 256-colour codes only
            if number < total:
                tmux.keys("space")
        tmux.keys("q")
        tmux.wait_for("EXITED 0", timeout=10)
        assert tmux.stderr() == ""
    finally:
        tmux.kill()
