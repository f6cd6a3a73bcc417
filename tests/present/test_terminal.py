"""The real presenter in a real terminal (tmux): keys, search, help, resize,
scrolling, hot reload, pauses, live code trust, and the notes view."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from external_tools import require
from tests.present.harness import TMUX, Tmux, deck_text, footer, on_slide


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    require(Path(TMUX).exists(), f"tmux at {TMUX}")
    session = Tmux(tmp_path)
    yield session
    session.kill()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def start(tmux: Tmux, tmp_path: Path, count: int = 12, *args: str, **kw: object) -> Path:
    deck = write(tmp_path / "deck.md", deck_text(count, **kw))  # type: ignore[arg-type]
    tmux.start("present", str(deck), *args)
    tmux.wait_for(on_slide(1, count))
    return deck


NEXT_KEYS = ["Space", "Right", "Down", "Enter", "n", "j", "l", "NPage"]
PREV_KEYS = ["Left", "Up", "p", "h", "k", "N", "PPage"]


def test_every_next_and_prev_binding_moves_one_slide(tmux: Tmux, tmp_path: Path) -> None:
    start(tmux, tmp_path, 12)
    screen = tmux.wait_for("Slide 1 title")
    assert "Tester" in footer(screen)
    for number, key in enumerate(NEXT_KEYS, start=2):
        tmux.keys(key)
        tmux.wait_for(on_slide(number, 12))
    assert "Slide 9 title" in tmux.screen()
    for number, key in zip(range(8, 0, -1), PREV_KEYS):
        tmux.keys(key)
        tmux.wait_for(on_slide(number, 12))
    assert "Slide 2 title" in tmux.screen()


def test_counts_goto_first_last_and_clamping(tmux: Tmux, tmp_path: Path) -> None:
    start(tmux, tmp_path, 12)
    tmux.keys("3", "j")
    tmux.wait_for(on_slide(4, 12))
    tmux.keys("2", "k")
    tmux.wait_for(on_slide(2, 12))
    tmux.keys("G")
    tmux.wait_for(on_slide(12, 12))
    tmux.keys("g", "g")
    tmux.wait_for(on_slide(1, 12))
    tmux.keys("7", "G")
    tmux.wait_for(on_slide(7, 12))
    tmux.keys("9", "9", "G")  # clamped to the last slide
    tmux.wait_for(on_slide(12, 12))
    tmux.keys("1", "G")
    tmux.wait_for(on_slide(1, 12))
    tmux.keys("5", "0", "j")  # clamped too
    tmux.wait_for(on_slide(12, 12))


def test_search_with_regex_ignore_case_and_next_match(tmux: Tmux, tmp_path: Path) -> None:
    start(tmux, tmp_path, 12, extra={4: "needle here", 9: "Needle again"})
    tmux.keys("/")
    tmux.type("needle")
    tmux.wait_for("/needle")
    tmux.keys("Enter")
    tmux.wait_for(on_slide(4, 12))
    tmux.keys("C-n")  # case-sensitive: slide 9 has "Needle", so it wraps to nothing new
    screen = tmux.wait_for("no other slide matches")
    assert "Slide 4 / 12" in footer(screen)
    tmux.keys("/")
    tmux.type("NEEDLE (here|again)/i")
    tmux.keys("Enter")
    tmux.wait_for(on_slide(9, 12))
    tmux.keys("C-n")  # wraps around past the end
    tmux.wait_for(on_slide(4, 12))
    tmux.keys("/")
    tmux.type("zzz")
    tmux.keys("Escape")  # cancelled: nothing moves
    tmux.wait_for(lambda s: "/zzz" not in s)
    assert "Slide 4 / 12" in footer(tmux.screen())


def test_help_overlay_lists_bindings_and_any_key_closes_it(tmux: Tmux, tmp_path: Path) -> None:
    start(tmux, tmp_path, 3)
    tmux.keys("?")
    screen = tmux.wait_for("keys (any key closes)")
    for text in ("pgdown", "ctrl+n", "<n>G", "ctrl+e", "reload", "scroll", "--notes"):
        assert text in screen
    tmux.keys("q")  # closes help, does not quit
    screen = tmux.wait_for(lambda s: "any key closes" not in s)
    assert "Slide 1 title" in screen


def test_resize_rewraps_and_tiny_terminal_shows_message(tmux: Tmux, tmp_path: Path) -> None:
    long_line = " ".join(f"word{i}" for i in range(40))
    start(tmux, tmp_path, 3, extra={1: long_line})
    tmux.resize(120, 30)
    tmux.wait_for(lambda s: len(s.split("\n")[0]) <= 120 and footer(s).rstrip().endswith("Slide 1 / 3")
                  and len(footer(s).rstrip()) > 100)
    tmux.resize(12, 4)
    screen = tmux.wait_for("too small")
    assert "12x4" in screen
    message = " ".join(row.strip() for row in screen.split("\n") if row.strip())
    assert message == "too small (12x4), need 20x5"  # nothing left over from the slide
    tmux.resize(8, 3)
    screen = tmux.wait_for("8x3")
    assert " ".join(row.strip() for row in screen.split("\n") if row.strip()) == "8x3 < 20x5"
    tmux.resize(70, 20)
    screen = tmux.wait_for(on_slide(1, 3))
    assert "too small" not in screen
    assert "word39" in screen  # the long paragraph re-wrapped, nothing lost
    assert all(len(row) <= 70 for row in screen.split("\n"))


def test_tall_slide_shows_more_indicator_and_scrolls(tmux: Tmux, tmp_path: Path) -> None:
    rows = "\n".join(f"- row {i:02d}" for i in range(50))
    start(tmux, tmp_path, 3, extra={1: rows})
    screen = tmux.wait_for("↓ more")
    assert "row 49" not in screen
    tmux.keys("J")
    tmux.keys("C-d")
    tmux.keys("J")
    tmux.keys("J")
    screen = tmux.wait_for("row 49")
    assert "↓ more" not in screen
    assert "Slide 1 / 3" in footer(screen)
    tmux.keys("K", "C-u", "K", "K")
    screen = tmux.wait_for("Slide 1 title")
    assert "↓ more" in screen


def test_hot_reload_stays_on_slide_and_broken_edit_keeps_last_good(tmux: Tmux, tmp_path: Path) -> None:
    deck = start(tmux, tmp_path, 5)
    tmux.keys("3", "G")
    tmux.wait_for(on_slide(3, 5))
    write(deck, deck_text(6, extra={3: "freshly edited line"}))
    screen = tmux.wait_for("freshly edited line")
    assert "Slide 3 / 6" in footer(screen)
    write(deck, deck_text(6) + "\n```python\nunclosed\n")
    screen = tmux.wait_for("reload failed")
    assert "unclosed code block" in screen
    assert "deck.md:" in screen
    assert "Slide 3 / 6" in footer(screen)  # the last good deck is still shown
    tmux.keys("j")
    tmux.wait_for(on_slide(4, 6))
    write(deck, deck_text(4))  # fixed, and shorter: clamped
    tmux.keys("G")
    screen = tmux.wait_for(on_slide(4, 4))
    assert "reload failed" not in screen


def test_manual_reload_key(tmux: Tmux, tmp_path: Path) -> None:
    deck = start(tmux, tmp_path, 3)
    text = deck_text(3, extra={1: "after r"})
    write(deck, text)
    os.utime(deck, ns=(1, 1))  # hide the change from the mtime poll … then r must reload
    tmux.keys("r")
    tmux.wait_for("after r")


def test_pauses_reveal_step_by_step(tmux: Tmux, tmp_path: Path) -> None:
    extra = {2: "first part\n\n<!-- pause -->\n\nsecond part\n\n<!-- pause -->\n\nthird part\n"}
    start(tmux, tmp_path, 3, extra=extra)
    tmux.keys("j")
    screen = tmux.wait_for("first part")
    assert "second part" not in screen and "pause" not in screen
    tmux.keys("j")
    screen = tmux.wait_for("second part")
    assert "third part" not in screen and "Slide 2 / 3" in footer(screen)
    tmux.keys("j")
    tmux.wait_for("third part")
    tmux.keys("k")
    screen = tmux.wait_for(lambda s: "third part" not in s)
    assert "second part" in screen
    tmux.keys("j", "j")
    tmux.wait_for(on_slide(3, 3))
    tmux.keys("k")  # going back shows the previous slide fully revealed
    screen = tmux.wait_for(on_slide(2, 3))
    assert "third part" in screen


def test_notes_view_follows_presenter_and_notes_stay_off_main_screen(tmux: Tmux, tmp_path: Path) -> None:
    extra = {2: "<!-- speaker_note: mention the cache trick -->", 3: "<!-- speaker_note: demo time -->"}
    deck = start(tmux, tmp_path, 4, extra=extra)
    notes = tmux.start("present", str(deck), "--notes")
    screen = tmux.wait_for("slide 1/4", target=notes)
    assert "next: 2. Slide 2 title" in screen
    assert "following the presenter" in screen
    tmux.keys("j")
    screen = tmux.wait_for("mention the cache trick", target=notes)
    assert "next: 3. Slide 3 title" in screen
    main = tmux.wait_for(on_slide(2, 4))
    assert "cache trick" not in main and "speaker_note" not in main
    tmux.keys("G")
    screen = tmux.wait_for("slide 4/4", target=notes)
    assert "end of deck" in screen
    assert "00:0" in screen  # the talk timer
    tmux.keys("q")
    tmux.wait_for("EXITED 0")
    tmux.wait_for("waiting for the presenter", target=notes)
    tmux.keys("q", target=notes)
    tmux.wait_for("EXITED 0", target=notes)


def rows(screen: str) -> list[str]:
    return [row.strip() for row in screen.split("\n")]


CODE = "```bash\necho hello from bash\necho oops >&2\ntouch ran.marker\nexit 3\n```\n"


def test_ctrl_e_on_untrusted_deck_runs_nothing(tmux: Tmux, tmp_path: Path) -> None:
    deck = start(tmux, tmp_path, 2, extra={1: CODE})
    deck.chmod(0o644)
    tmux.keys("C-e")
    screen = tmux.wait_for("code not run")
    assert "untrusted" in screen
    assert "exit status" not in screen and "hello from bash" not in rows(screen)
    assert not (tmp_path / "ran.marker").exists()


def test_ctrl_e_on_trusted_deck_shows_stdout_stderr_status_and_clears(tmux: Tmux, tmp_path: Path) -> None:
    deck = write(tmp_path / "deck.md", deck_text(2, extra={1: CODE}))
    tmux.start("present", str(deck), "--allow-exec")
    tmux.wait_for(on_slide(1, 2))
    tmux.keys("C-e")
    screen = tmux.wait_for("exit status 3")
    assert "hello from bash" in rows(screen) and "oops" in rows(screen)  # stdout and stderr
    assert not (tmp_path / "ran.marker").exists()  # ran in a temporary directory
    tmux.keys("j")
    tmux.wait_for(on_slide(2, 2))
    tmux.keys("k")
    screen = tmux.wait_for(on_slide(1, 2))
    assert "hello from bash" not in rows(screen) and "exit status" not in screen


def test_editing_the_theme_file_redraws(tmux: Tmux, tmp_path: Path) -> None:
    import json

    theme = json.loads((Path(__file__).resolve().parents[2] / "themes" / "dark.json").read_text())
    theme["h1"]["prefix"] = "<<< "
    write(tmp_path / "mine.json", json.dumps(theme))
    deck = write(tmp_path / "deck.md", deck_text(3, front="theme: mine.json"))
    tmux.start("present", str(deck))
    tmux.wait_for("<<< Slide 1 title")
    theme["h1"]["prefix"] = ">>> "
    write(tmp_path / "mine.json", json.dumps(theme))
    tmux.wait_for(">>> Slide 1 title")
    write(tmp_path / "mine.json", "{ not json")
    screen = tmux.wait_for("invalid JSON")  # the theme problem is shown, the talk goes on
    assert "mine.json:1" in screen and "Slide 1 / 3" in footer(screen)
    assert "keeping the last good theme" in screen
    assert ">>> Slide 1 title" in screen  # not swapped for the fallback `dark` mid-talk
    theme["h1"]["prefix"] = "=== "
    write(tmp_path / "mine.json", json.dumps(theme))
    screen = tmux.wait_for("=== Slide 1 title")
    assert "invalid JSON" not in screen


def test_preprocessed_output_wider_than_the_terminal_says_it_is_cut(tmux: Tmux, tmp_path: Path) -> None:
    """Diagram output is cropped, never re-wrapped: a narrow terminal says so and how wide it must be."""
    wide = "+" + "-" * 56 + "+"
    deck = write(tmp_path / "deck.md", deck_text(2, extra={1: f"```\n~~~cat\n{wide}\n~~~\n```\n"}))
    tmux.start("present", str(deck), "--allow-exec")
    screen = tmux.wait_for(lambda s: wide in s and "Slide 1 / 2" in footer(s))
    assert "cut" not in footer(screen)  # 80 columns: it fits
    tmux.resize(40, 24)
    screen = tmux.wait_for(lambda s: "Slide 1 / 2" in footer(s) and len(s.split("\n")[0]) <= 40)
    needed = int(footer(screen).split("needs ")[1].split()[0])
    assert needed > 40 and "→ cut: needs" in footer(screen)
    tmux.resize(needed, 24)
    screen = tmux.wait_for(lambda s: "Slide 1 / 2" in footer(s) and "cut" not in footer(s))
    assert wide in screen  # exactly that width shows it whole
    tmux.keys("space")
    assert "cut" not in footer(tmux.wait_for(on_slide(2, 2)))
