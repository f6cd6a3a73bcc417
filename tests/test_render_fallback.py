"""A block renderer that raises never takes the slide down (issue 11 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from slidekit.cli import main
from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.render import glamour
from slidekit.render.cells import Buf
from slidekit.render.elements import EMPTY, Ctx
from slidekit.render.terminal import plain_lines, render_slide_result
from slidekit.theme.load import load_theme

DECK = """# Title

Before the code.

```python
print("a line that is longer than the slide is wide, so the fallback has to fold it")
```

After the code.
"""


def _explode(block: m.Block, ctx: Ctx, out: Buf, first: bool) -> None:
    out.write("half-written output that must not reach the screen")
    ctx.stack.append(EMPTY)  # and a stack left dirty
    raise KeyError("Literal.Scalar.Plain")


@pytest.fixture
def broken_code_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(glamour._BLOCKS, m.CodeBlock, _explode)


def test_a_failing_block_falls_back_to_its_source(broken_code_blocks: None) -> None:
    deck = load_deck(DECK, "talk.md")
    theme = load_theme("dark", env={}).theme
    result = render_slide_result(deck.slides[0], theme, 40)
    text = "\n".join(plain_lines(result.lines))
    assert [f.line for f in result.fallbacks] == [5]
    assert "KeyError" in result.fallbacks[0].error
    assert "Title" in text and "Before the code." in text and "After the code." in text
    assert 'print("a line that is longer' in text
    joined = "".join(line.strip() for line in plain_lines(result.lines))
    assert "[this block could not be rendered: KeyError]" in joined
    assert "half-written" not in text
    assert all(cell_len(line.plain) <= 40 for line in result.lines)


def test_no_fallback_without_a_failure() -> None:
    deck = load_deck(DECK, "talk.md")
    theme = load_theme("dark", env={}).theme
    result = render_slide_result(deck.slides[0], theme, 40)
    assert result.fallbacks == ()
    assert "could not be rendered" not in "\n".join(plain_lines(result.lines))


@pytest.mark.parametrize("args", [[], ["--bare"], ["--bare", "--no-split"]])
def test_render_warns_with_path_and_line(broken_code_blocks: None, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(DECK, encoding="utf-8")
    assert main(["render", *args, "--width", "40", "--color", "never", str(deck)]) == 0
    captured = capsys.readouterr()
    assert f"{deck}:5: this block could not be rendered (KeyError" in captured.err
    assert "After the code." in captured.out
    assert "Traceback" not in captured.err
