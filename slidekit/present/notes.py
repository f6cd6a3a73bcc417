"""``slidekit present DECK --notes``: the speaker's view in a second terminal.

Follows the presenter through the position file (:mod:`slidekit.present.sync`):
shows the current slide's notes, the next slide's title and the talk timer; with
``--duration`` also a countdown (:mod:`slidekit.present.timer`) that ``p`` pauses and
``r`` resets.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from rich.text import Text

from slidekit.deck.model import Deck
from slidekit.present.captions import slide_captions
from slidekit.present.frame import banner_lines, is_too_small, too_small, wrap_plain
from slidekit.present.reload import DeckSource, FileWatch
from slidekit.present.screen import Screen
from slidekit.present.sync import Position, alive, read_position, state_path
from slidekit.present.timer import Countdown, timer_style
from slidekit.render.terminal import detect_color_system, to_ansi
from slidekit.theme.schema import Theme

POLL = 0.2
#: the notes view's timer keys (the presenter's p and r mean previous and reload)
_TIMER_KEYS = {"p": Countdown.toggle, "r": Countdown.reset}


@dataclass(frozen=True)
class NotesView:
    """Everything the notes screen shows (pure input to :func:`notes_frame`)."""

    deck: Deck
    position: Position | None
    now: float
    banner: str = ""
    countdown: Countdown | None = None
    theme: Theme | None = None


def clock(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def notes_frame(view: NotesView, width: int, height: int) -> list[Text]:
    if is_too_small(width, height):
        return too_small(width, height)
    deck = view.deck
    index = min(view.position.slide, len(deck.slides) - 1) if view.position else 0
    slide = deck.slides[index]
    lines: list[Text] = list(banner_lines(view.banner, width)) if view.banner else []
    head = Text(f"NOTES  slide {slide.number}/{len(deck.slides)}", style="bold reverse")
    if view.position is not None and slide.steps > 1:
        head.append(f"  step {view.position.step + 1}/{slide.steps}", style="bold reverse")
    timer = clock(view.now - view.position.started) if view.position else "--:--:--"
    right = Text(f"⏱ {timer}  {time.strftime('%H:%M', time.localtime(view.now))}", style="bold")
    head.append(" " * max(width - head.cell_len - right.cell_len, 1))
    head.append_text(right)
    lines.append(head)
    if view.countdown is not None:
        phase = view.countdown.phase(view.now)
        line = Text(view.countdown.label(view.now, index, len(deck.slides)), style=timer_style(view.theme, phase))
        line.append("   p pause · r reset", style="dim")
        lines.append(line)
    lines.append(Text(slide.title or "(untitled slide)", style="bold cyan"))
    lines.append(Text("─" * width, style="dim"))
    notes = "\n\n".join(note.text.strip() for note in slide.notes)
    body = wrap_plain(notes, width) if notes else [Text("(no notes for this slide)", style="dim italic")]
    captions = slide_captions(slide)
    if captions:
        body += [Text(""), *wrap_plain(f"pre-processing: {captions}", width, "dim italic")]
    following_line = (
        Text(f"following the presenter (pid {view.position.pid}) — q quits", style="dim")
        if view.position is not None else
        Text("waiting for the presenter: run `slidekit present DECK` in another terminal — q quits", style="yellow")
    )
    if index + 1 < len(deck.slides):
        nxt = deck.slides[index + 1]
        next_line = Text(f"next: {nxt.number}. {nxt.title or '(untitled)'}", style="bold")
    else:
        next_line = Text("next: end of deck", style="bold")
    tail = [Text("─" * width, style="dim"), next_line, following_line]
    room = max(height - len(lines) - len(tail), 0)
    if len(body) > room:
        body = body[: max(room - 1, 0)] + [Text(f"… {len(body) - room + 1} more line(s)", style="dim")]
    lines.extend(body[:room])
    lines.extend(Text("") for _ in range(room - len(body[:room])))
    lines.extend(tail)
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines[:height]


def show_notes(path: str, deck: Deck, in_fd: int, out_fd: int, *, allow_exec: bool = False,
               strict: bool = False, refresh: bool = False, duration: float | None = None,
               theme: Theme | None = None) -> None:
    """The notes view's loop; with ``duration`` (seconds) a countdown that ``p`` pauses and ``r`` resets."""
    color_system = detect_color_system(dict(os.environ), True)
    sync = state_path(path)
    screen = Screen(in_fd, out_fd)
    banner = ""
    source = DeckSource(path, allow_exec, strict, refresh)
    watch = FileWatch(path)
    countdown: Countdown | None = None
    try:
        screen.open()
        while True:
            position = read_position(sync)
            if position is not None and not alive(position.pid):
                position = None
            now = time.time()
            if duration is not None and countdown is None:  # counts from the presenter's start, or from now
                countdown = Countdown(duration, position.started if position is not None else now)
            width, height = screen.size()
            lines = notes_frame(NotesView(deck, position, now, banner, countdown, theme), width, height)
            screen.draw(to_ansi(lines, color_system).split("\n")[: len(lines)])
            keys = screen.read_keys(POLL)
            if any(k in ("q", "ctrl+c", "esc") for k in keys):
                return
            for key in keys:
                if countdown is not None and key in _TIMER_KEYS:
                    countdown = _TIMER_KEYS[key](countdown, time.time())
            if watch.changed():
                watch.rearm()
                reloaded, banner = source.reopen()
                deck = reloaded or deck
    finally:
        screen.close()
