"""``slidekit present DECK --notes``: the speaker's view in a second terminal.

Follows the presenter through the position file (:mod:`slidekit.present.sync`):
shows the current slide's notes, the next slide's title and the talk timer.
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
from slidekit.render.terminal import detect_color_system, to_ansi

POLL = 0.2


@dataclass(frozen=True)
class NotesView:
    """Everything the notes screen shows (pure input to :func:`notes_frame`)."""

    deck: Deck
    position: Position | None
    now: float
    banner: str = ""


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
               strict: bool = False, refresh: bool = False) -> None:
    color_system = detect_color_system(dict(os.environ), True)
    sync = state_path(path)
    screen = Screen(in_fd, out_fd)
    banner = ""
    source = DeckSource(path, allow_exec, strict, refresh)
    watch = FileWatch(path)
    try:
        screen.open()
        while True:
            position = read_position(sync)
            if position is not None and not alive(position.pid):
                position = None
            width, height = screen.size()
            lines = notes_frame(NotesView(deck, position, time.time(), banner), width, height)
            screen.draw(to_ansi(lines, color_system).split("\n")[: len(lines)])
            keys = screen.read_keys(POLL)
            if any(k in ("q", "ctrl+c", "esc") for k in keys):
                return
            if watch.changed():
                watch.rearm()
                reloaded, banner = source.reopen()
                deck = reloaded or deck
    finally:
        screen.close()
