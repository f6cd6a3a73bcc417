"""The presenter's frame (no terminal): a slide's own theme, no_footer, the footer countdown and where a
graphics-protocol image is placed over the frame."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from rich.text import Text

from slidekit.deck.load import load_deck
from slidekit.present.app import Options, Presenter
from slidekit.theme.load import load_theme


class Screen:
    resized = False

    def size(self) -> tuple[int, int]:
        return (60, 20)

    def draw(self, rows: list[str]) -> None:
        self.rows = rows

    def write(self, text: str) -> None:
        self.written = text

    def wake(self) -> None:
        pass


DECK = "# One\n\ntext\n\n---\n\n<!-- theme: light -->\n<!-- no_footer -->\n\n# Two\n\n![pic](pic.png)\n"


def presenter(tmp_path: Path, **options: object) -> Presenter:
    Image.new("RGB", (40, 20), (0, 255, 0)).save(tmp_path / "pic.png")
    path = tmp_path / "deck.md"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck(DECK, str(path))
    return Presenter(Options(str(path), **options), deck, load_theme("dark", None, env={}), Screen())  # type: ignore[arg-type]


def plain(rows: list[object]) -> list[str]:
    return [r.plain if isinstance(r, Text) else str(r) for r in rows]


def test_slide_theme_no_footer_and_image_overlay(tmp_path: Path) -> None:
    p = presenter(tmp_path, image_protocol="kitty", duration=1200.0)
    assert p.slide_theme(0).name == p.theme.theme.name
    assert "light" in p.slide_theme(1).name
    first = plain(p.frame())
    assert "Slide 1 / 2" in first[-1]
    assert "⏳ 20:00 left" in first[-1] or "⏳ 19:59 left" in first[-1]
    assert p.overlays == []
    p.state = p.state.__class__(index=1)
    rows = plain(p.frame())
    assert "Slide 2 / 2" not in rows[-1]  # <!-- no_footer -->: only the indicators (the countdown)
    assert "⏳" in rows[-1]
    ((row, col, seq),) = p.overlays
    assert seq.startswith("\x1b_Ga=T,f=100") and col == 2
    assert "Two" in rows[row - 2]  # the picture sits under the heading and its blank line
    p.draw()
    assert p.screen.written.startswith("\x1b7\x1b_Ga=d")  # type: ignore[attr-defined]  # kitty: old placements cleared
    assert f"\x1b[{row + 1};{col + 1}H\x1b_G" in p.screen.written  # type: ignore[attr-defined]  # then placed
