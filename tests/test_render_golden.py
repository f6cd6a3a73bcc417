"""Golden-file tests of plain-text rendering (styles are checked in test_render_styles)."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import GOLDEN_DIR, assert_golden

from slidekit.deck.load import load_deck
from slidekit.deck.model import Deck
from slidekit.render.terminal import plain_lines, render_slide
from slidekit.theme.load import load_theme

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "slides" / "docker-multistage.md"
ALL_BLOCKS = GOLDEN_DIR / "decks" / "all_blocks.md"


def _load(path: Path) -> Deck:
    return load_deck(path.read_text(encoding="utf-8"), str(path))


def render_plain(deck: Deck, theme: str, width: int) -> str:
    """Every slide as plain text, trailing padding removed, with a header per slide."""
    loaded = load_theme(theme, env={})
    out: list[str] = []
    for slide in deck.slides:
        lines = render_slide(slide, loaded.theme, width)
        assert all(line.cell_len <= width for line in lines)
        out.append(f"=== slide {slide.number} ===")
        out.extend(plain_lines(lines))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("width", [100, 60])
def test_example_deck(request: pytest.FixtureRequest, width: int) -> None:
    deck = _load(EXAMPLE)
    assert deck.meta.theme == "solarized_dark.json"
    assert_golden(request.config, f"example_{width}.txt", render_plain(deck, "solarized_dark", width))


@pytest.mark.parametrize(("theme", "width"), [("solarized_dark", 80), ("ascii", 40), ("dark", 24)])
def test_every_block_type(request: pytest.FixtureRequest, theme: str, width: int) -> None:
    text = render_plain(_load(ALL_BLOCKS), theme, width)
    assert_golden(request.config, f"all_blocks_{theme}_{width}.txt", text)


def test_reveal_steps(request: pytest.FixtureRequest) -> None:
    deck = _load(ALL_BLOCKS)
    slide = deck.slides[-1]
    theme = load_theme("notty", env={}).theme
    steps = [plain_lines(render_slide(slide, theme, 50, step=s)) for s in range(slide.steps)]
    assert slide.steps == 2
    assert not any("After the pause." in line for line in steps[0])
    assert any("After the pause." in line for line in steps[1])
    assert steps[1] == plain_lines(render_slide(slide, theme, 50))
    text = "".join(f"=== step {i} ===\n" + "\n".join(lines) + "\n" for i, lines in enumerate(steps))
    assert_golden(request.config, "reveal_steps.txt", text)
