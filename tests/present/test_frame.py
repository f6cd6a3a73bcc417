"""Screen layout (pure): too-small message, scrolling window, banner, notes frame."""

from __future__ import annotations

import time

from rich.text import Text

from slidekit.deck.load import load_deck
from slidekit.present.frame import Chrome, banner_lines, compose, crop_indicator, scroll_indicator, too_small
from slidekit.present.notes import NotesView, clock, notes_frame
from slidekit.present.sync import Position, read_position, state_path, write_position


def test_too_small_message_always_fits() -> None:
    for width, height in [(19, 30), (80, 4), (10, 3), (5, 2), (1, 1)]:
        lines = too_small(width, height)
        assert 1 <= len(lines) <= height
        assert all(line.cell_len <= width for line in lines)
    assert "terminal too small (19x30), need at least 20x5" in " ".join(row.plain.strip() for row in too_small(19, 30))


def test_compose_fills_exactly_the_screen_and_shows_the_scrolled_window() -> None:
    body = [Text(f"line {i}") for i in range(30)]
    chrome = Chrome(banner_lines("reload failed: deck.md:3: broken", 40), Text("status"))
    lines = compose(body, 40, 12, 5, Text("footer"), chrome)
    plain = [line.plain.rstrip() for line in lines]
    assert len(lines) == 12
    assert plain[0].startswith("reload failed")
    assert plain[1:10] == [f"line {i}" for i in range(5, 14)]
    assert plain[-2:] == ["status", "footer"]


def test_scroll_indicator() -> None:
    assert scroll_indicator(0, 10, 8) == ""
    assert scroll_indicator(0, 10, 25).startswith("↓ more (10/25)")
    assert scroll_indicator(15, 10, 25).startswith("↑ (25/25)")


DECK = """---
author: A
---

# Intro

<!-- speaker_note: say hello -->

---

# Middle

---

# End
"""


def test_crop_indicator() -> None:
    assert crop_indicator(54, 40) == "→ cut: needs 54 cols"
    assert crop_indicator(54, 54) == "" and crop_indicator(0, 20) == ""


def test_notes_frame_shows_notes_next_title_and_timer() -> None:
    deck = load_deck(DECK, "talk.md")
    now = time.time()
    screen = "\n".join(row.plain for row in notes_frame(NotesView(deck, Position(0, 0, now - 75, 1, now), now), 60, 14))
    assert "slide 1/3" in screen and "say hello" in screen and "next: 2. Middle" in screen
    assert "00:01:15" in screen
    screen = "\n".join(row.plain for row in notes_frame(NotesView(deck, Position(2, 0, now, 1, now), now), 60, 14))
    assert "no notes" in screen and "end of deck" in screen
    waiting = "\n".join(row.plain for row in notes_frame(NotesView(deck, None, now), 60, 14))
    assert "waiting for the presenter" in waiting
    assert clock(3725) == "01:02:05"


def test_position_file_round_trip(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SLIDEKIT_STATE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    path = state_path("deck.md")
    assert path.parent == tmp_path
    assert path == state_path(str(tmp_path / "sub" / ".." / "deck.md"))  # same deck, same file
    assert path != state_path("other.md")
    assert read_position(path) is None
    write_position(path, Position(3, 1, 10.0, 42, 11.0))
    assert read_position(path) == Position(3, 1, 10.0, 42, 11.0)
    path.write_text("{broken")
    assert read_position(path) is None


def test_a_slide_the_renderer_cannot_draw_shows_an_error_instead_of_ending_the_talk() -> None:
    from slidekit.present.app import Options, Presenter
    from slidekit.theme.load import load_theme

    class Screen:
        resized = False

        def size(self) -> tuple[int, int]:
            return (60, 10)

        def draw(self, rows: list[str]) -> None:
            self.rows = rows

        def wake(self) -> None:
            pass

    deck = load_deck(DECK, "talk.md")
    presenter = Presenter(Options("talk.md"), deck, load_theme(None, None), Screen())  # type: ignore[arg-type]

    def broken(*args: object, **kw: object) -> list[Text]:
        raise RuntimeError("boom")

    presenter.render = type("R", (), {"render_slide": staticmethod(broken),
                                      "render_footer": presenter.render.render_footer,
                                      "to_ansi": presenter.render.to_ansi})
    rows = presenter.frame()
    text = "\n".join(r.plain if isinstance(r, Text) else r for r in rows)
    assert "talk.md:" in text and "cannot render slide 1" in text and "boom" in text


def test_sigterm_during_a_slide_render_ends_the_talk_not_the_slide() -> None:
    """SIGTERM raises Terminated wherever the main thread is; the broad error handling
    around rendering (and reloading) must let it through so the terminal gets restored."""
    import pytest

    from slidekit.present.app import Options, Presenter
    from slidekit.present.screen import Terminated
    from slidekit.theme.load import load_theme

    class Screen:
        resized = False

        def size(self) -> tuple[int, int]:
            return (60, 10)

        def wake(self) -> None:
            pass

    presenter = Presenter(Options("talk.md"), load_deck(DECK, "talk.md"), load_theme(None, None), Screen())  # type: ignore[arg-type]

    def killed(*args: object, **kw: object) -> list[Text]:
        raise Terminated(15)

    presenter.render = type("R", (), {"render_slide": staticmethod(killed),
                                      "render_footer": presenter.render.render_footer,
                                      "to_ansi": presenter.render.to_ansi})
    with pytest.raises(Terminated):
        presenter.frame()
