"""The presenter loop: keys → state machine → frame, plus reload, resize, live code.

Only this module (with :mod:`screen`) does terminal I/O. The loop waits in
``select`` on the keyboard and a wake-up pipe (resize, finished background
work), polling the deck's mtime every :data:`POLL` seconds.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from slidekit import output
from slidekit.deck.console import slide_console_blocks
from slidekit.deck.layout import slide_layout
from slidekit.deck.model import CodeBlock, CommandBlock, Deck
from slidekit.errors import SlidekitError
from slidekit.present import state as sm
from slidekit.present.captions import slide_captions
from slidekit.present.frame import (
    Chrome,
    Row,
    banner_lines,
    compose,
    crop_indicator,
    fit,
    help_overlay,
    paint,
    is_too_small,
    scroll_indicator,
    too_small,
    wrap_plain,
)
from slidekit.present.reload import POLL, DeckSource, FileWatch
from slidekit.present.screen import Screen
from slidekit.present.images import terminal_images
from slidekit.present.timer import Countdown
from slidekit.render.style import screen_fill
from slidekit.present.sync import Position, state_path, write_position
from slidekit.render import terminal
from slidekit.render.term_image import KITTY_CLEAR, placements
from slidekit.session import deck_dir, open_theme
from slidekit.theme.load import LoadedTheme, load_theme, resolve_theme_path
from slidekit.theme.schema import Theme
from slidekit.verify.console_result import ConsoleStatus
from slidekit.verify.vocab import StageStatus

if TYPE_CHECKING:
    from slidekit.present.runcode import RunResult
    from slidekit.verify.model import StageStatus

@dataclass(frozen=True)
class Options:
    path: str
    allow_exec: bool = False
    strict: bool = False
    theme: str | None = None
    refresh: bool = False
    engine: str | None = None  # --engine: ctrl+e builds there (None: the environment's selection)
    #: ``--duration`` in seconds: the footer shows the countdown
    duration: float | None = None
    #: ``--image-protocol``: kitty, iterm, sixel, halfblocks, or None/auto (detected from the environment)
    image_protocol: str | None = None

    @property
    def source(self) -> DeckSource:
        return DeckSource(self.path, self.allow_exec, self.strict, self.refresh)


class Presenter:
    def __init__(self, options: Options, deck: Deck, theme: LoadedTheme, screen: Screen,
                 loader: Callable[[], Deck] | None = None) -> None:
        self.render = terminal
        self.options = options
        self.screen = screen
        self.color_system = terminal.detect_color_system(dict(os.environ), True)
        self.utf8 = terminal.is_utf8_locale(os.environ)  # else code rows fold with an ASCII mark
        self.state = sm.State()
        self.banner = ""
        self.generation = 0
        #: (slide, step, width, deck generation) → the slide's rows as ANSI
        self.cache: dict[tuple[int, int, int, int | None, int], list[str]] = {}
        self.slide_themes: dict[str, Theme] = {}
        self.placements: dict[tuple[int, int, int, int | None, int], tuple[tuple[int, int, str], ...]] = {}
        self.overlays: list[tuple[int, int, str]] = []
        self.widths: dict[tuple[int, int, int], int] = {}  # (slide, width, generation) → columns needed
        self.extra_lines: list[Text] = []  # live code output under the slide
        self.extra_slide = -1
        self.worker: threading.Thread | None = None
        self.max_scroll = 0
        self.page = 20
        self.started = time.time()
        self.last_tick = 0
        self.badges: dict[int, StageStatus] | None = None
        self.console_badges: dict[int, ConsoleStatus] = {}
        self.changed = False  # set by background threads: redraw
        self._last_written: tuple[int, int] | None = None
        self.loader = loader  # the full deck, when ``deck`` is only the first-frame stand-in
        self.warnings: tuple[str, ...] = ()
        self._set_deck(deck, theme, badges=loader is None)

    @cached_property
    def sync_path(self) -> Path:
        """Where the position for ``--notes`` goes (first needed after the first frame)."""
        return state_path(self.options.path)

    # ------------------------------------------------------------------ deck

    def _set_deck(self, deck: Deck, theme: LoadedTheme, *, badges: bool = True) -> None:
        self.deck = deck
        self.theme = theme
        self.generation += 1
        self.cache.clear()
        self.slide_themes.clear()
        self.placements.clear()
        self.images = terminal_images(deck_dir(deck), self.options.image_protocol, os.environ)
        self.view = sm.View(tuple(s.steps for s in deck.slides), tuple(s.source for s in deck.slides),
                            captions=tuple(slide_captions(s) for s in deck.slides))
        self.theme_file = _theme_file(deck, self.options.theme) or theme.path
        self.watch = FileWatch(self.options.path, self.theme_file)
        if badges:
            self.refresh_badges()
        self.state = sm.clamp_to(self.state, replace(self.view, max_scroll=10**9))

    def refresh_badges(self) -> None:
        """Look up the verifier's cached per-slide statuses in the background (hashing
        the build context can take a while; the talk never waits for it)."""
        deck = self.deck

        def work() -> None:
            badges = _badges(deck)
            console = _console_badges(deck)
            if self.deck is deck:
                self.badges = badges
                self.console_badges = console
                self.changed = True
                self.screen.wake()

        threading.Thread(target=work, daemon=True).start()

    def reload(self) -> None:
        """Re-open the deck (and theme); on error keep the last good deck and show why."""
        if self.options.path == "-":
            self.state = replace(self.state, message="a deck read from stdin cannot be reloaded")
            return
        deck, failure = self.options.source.reopen()
        if deck is None:
            self.banner = failure
            self.watch.rearm(self.options.path)
            return
        theme = open_theme(deck, self.options.theme, quiet=True)
        self.banner = "; ".join(theme.warnings)
        if theme.warnings and _same_theme_file(self.theme, _theme_file(deck, self.options.theme)):
            # a broken save of the theme the talk is using: keep its last good version
            self.banner = f"theme reload failed, keeping the last good theme — {self.banner}"
            theme = self.theme
        self._set_deck(deck, theme)

    def changed_on_disk(self) -> bool:
        if self.options.path == "-":
            return False
        return self.watch.changed()

    # ------------------------------------------------------------------ drawing

    def slide_theme(self, index: int) -> Theme:
        """The theme a slide is drawn with: its ``<!-- theme: NAME -->`` (looked up as the deck's theme is;
        one that does not load falls back to the deck's), else the deck's."""
        name = slide_layout(self.deck.slides[index]).theme
        if name is None:
            return self.theme.theme
        if name not in self.slide_themes:
            loaded = load_theme(name, deck_dir(self.deck))
            self.slide_themes[name] = self.theme.theme if loaded.warnings else loaded.theme
        return self.slide_themes[name]

    def slide_lines(self, index: int, step: int, width: int, height: int | None = None) -> list[str]:
        """The slide rendered at ``width`` (``height``: the body rows, for centred and ``jump_to_middle``
        layouts) and converted to ANSI rows (cached: turning styled text into escape codes costs more than
        laying it out)."""
        slide = self.deck.slides[index]
        step_arg = step if slide.steps > 1 else None
        key = (index, step if step_arg is not None else -1, width, height, self.generation)
        rows = self.cache.get(key)
        if rows is None:
            try:
                lines = self.render.render_slide(slide, self.slide_theme(index), width, step=step_arg,
                                                 height=height, images=self.images, utf8=self.utf8)
                self.placements[key] = placements(lines)
            except Exception as exc:  # noqa: BLE001 - one bad slide must not end the talk
                lines = wrap_plain(f"{self.deck.path}:{slide.span.first}: cannot render slide {slide.number}: "
                                   f"{type(exc).__name__}: {exc}", width, "bold red")
            rows = self.render.to_ansi(lines, self.color_system, self.theme.theme.palette).split("\n")[: len(lines)] if lines else []
            self.cache[key] = rows
        return rows

    def needed_width(self, index: int, width: int) -> int:
        """Columns the slide needs when its pre-processed output (cropped, never re-wrapped)
        is cut at ``width``; 0 when nothing is cut. Cached per deck version and width."""
        key = (index, width, self.generation)
        if key not in self.widths:
            self.widths[key] = self._needed_width(index, width)
        return self.widths[key]

    def _needed_width(self, index: int, width: int) -> int:
        slide = self.deck.slides[index]
        outputs = tuple(b for b in slide.blocks if isinstance(b, CommandBlock) and b.output)
        if not outputs:
            return 0
        only = replace(slide, blocks=outputs)
        try:
            whole = [line.plain.rstrip() for line in self.render.render_slide(only, self.theme.theme, 10_000)]
            shown = [line.plain.rstrip() for line in self.render.render_slide(only, self.theme.theme, width)]
        except Exception:  # noqa: BLE001 - a hint only; slide_lines reports render errors
            return 0
        cut = [(full, part) for full, part in zip(whole, shown) if full != part]
        if not cut:
            return 0
        full, part = max(cut, key=lambda pair: Text(pair[0]).cell_len)
        right_margin = max(width - Text(part).cell_len, 0)  # what the renderer keeps free at the right
        return max(Text(full).cell_len + right_margin, width + 1)

    def frame(self) -> list[Row]:
        width, height = self.screen.size()
        if is_too_small(width, height):
            return [*too_small(width, height)]
        banner = banner_lines(self.banner, width) if self.banner else ()
        chrome = Chrome(banner, self._status(width))
        rows = chrome.body_rows(height)
        st = self.state
        if self.extra_slide != st.index:
            self.extra_lines, self.extra_slide = [], st.index
        body: list[Row] = [*self.slide_lines(st.index, st.step, width, rows), *self._extra_rows(st.index, width)]
        self.page = rows
        self.max_scroll = max(len(body) - rows, 0)
        if st.scroll > self.max_scroll:
            self.state = st = replace(st, scroll=self.max_scroll)
        extra = "  ".join(p for p in (self._badge(st.index), crop_indicator(self.needed_width(st.index, width), width),
                                      scroll_indicator(st.scroll, rows, len(body))) if p)
        if self.options.duration is not None:
            countdown = Countdown(self.options.duration, self.started)
            extra = "  ".join(p for p in (countdown.label(time.time(), st.index, len(self.deck.slides)), extra) if p)
        if slide_layout(self.deck.slides[st.index]).no_footer:  # <!-- no_footer -->: only the indicators
            footer = Text(extra.rjust(width))
        else:
            footer = self.render.render_footer(self.deck, st.index, width, self.slide_theme(st.index), extra=extra)
        help_rows = help_overlay(width, rows) if st.mode is sm.Mode.HELP else None
        key = (st.index, st.step if self.deck.slides[st.index].steps > 1 else -1, width, rows, self.generation)
        self.overlays = [] if help_rows is not None else [
            (len(banner) + row - st.scroll, col, seq) for row, col, seq in self.placements.get(key, ())
            if 0 <= row - st.scroll < rows]
        screen = compose(body, width, height, st.scroll, footer, chrome, help_rows)
        return paint(screen, width, screen_fill(self.slide_theme(st.index).get("document")))

    def _extra_rows(self, index: int, width: int) -> list[Row]:
        """ctrl+e output inside the slide: the text set as a code block of the slide, in
        the theme's code colours and the document's margins."""
        text = "\n".join(line.plain for line in self.extra_lines).strip("\n")
        if not text:
            return []
        slide = self.deck.slides[index]
        block = CodeBlock("", text, slide.span, slide.span.first)
        try:
            lines = self.render.render_slide(replace(slide, blocks=(block,)), self.theme.theme, width,
                                             utf8=self.utf8)
        except Exception:  # noqa: BLE001 - the output still shows, unthemed
            return list(fit(self.extra_lines, width))
        return list(lines)

    def _status(self, width: int) -> Text | None:
        st = self.state
        if st.mode is sm.Mode.SEARCH:
            return Text("/" + st.query + "█", style="bold")
        if st.message:
            line = Text(st.message.replace("\n", " "), style="bold yellow")
            line.truncate(width, overflow="ellipsis")
            return line
        return None

    def _badge(self, index: int) -> str:
        status = self.badges.get(index) if self.badges else None
        console = self.console_badges.get(index)
        parts = [f"docker: {status.value} {status.mark}" if status is not None else "",
                 f"console: {console.label}" if console is not None else ""]
        return "  ".join(p for p in parts if p)

    def draw(self) -> None:
        rows = self.frame()
        styled = [row for row in rows if isinstance(row, Text)]
        converted = iter(self.render.to_ansi(styled, self.color_system, self.theme.theme.palette).split("\n") if styled else [])
        self.screen.draw([next(converted) if isinstance(row, Text) else row for row in rows])
        if self.images.protocol == "kitty" or self.overlays:  # images go over the drawn frame
            clear = KITTY_CLEAR if self.images.protocol == "kitty" else ""
            self.screen.write("\x1b7" + clear + "".join(f"\x1b[{row + 1};{col + 1}H{seq}"
                                                         for row, col, seq in self.overlays) + "\x1b8")
        self._publish()

    def _publish(self) -> None:
        position = (self.state.index, self.state.step)
        if position == self._last_written:
            return
        self._last_written = position
        try:
            write_position(self.sync_path, Position(*position, self.started, os.getpid(), time.time()))
        except (OSError, SlidekitError):
            pass  # the notes view is a convenience; never stop the talk for it

    def prefetch(self) -> None:
        """Render what the next key most likely shows, while the presenter talks."""
        width, height = self.screen.size()
        if is_too_small(width, height):
            return
        st = self.state
        targets = [(st.index, st.step + 1)] if st.step + 1 < self.view.steps[st.index] else []
        if st.index + 1 < self.view.count:
            targets.append((st.index + 1, 0))
        for index, step in targets:
            self.slide_lines(index, step, width, self.page)

    # ------------------------------------------------------------------ live code

    def execute(self) -> None:
        # boundary: running code and building (trust rules, subprocesses, the verifier) load on ctrl+e only
        from slidekit.present import build, runcode  # noqa: PLC0415 - boundary, see above
        from slidekit.present.trust import deck_trust  # noqa: PLC0415 - boundary, see above

        slide = self.deck.slides[self.state.index]
        trust = deck_trust(self.deck, self.options.allow_exec)  # decided now: chmod during a talk counts
        if not trust.trusted:
            notice = trust.notice.removeprefix("not run: ")
            self.state = replace(self.state, message=f"ctrl+e: code not run — {notice}")
            return
        if self.worker is not None and self.worker.is_alive():
            self.state = replace(self.state, message="still running the previous ctrl+e")
            return
        docker = runcode.dockerfile_blocks(slide)
        blocks = runcode.runnable_blocks(slide)
        console = [b for b in slide_console_blocks(slide) if b.checked and not b.error]
        if not docker and not blocks and not console:
            self.state = replace(self.state, message="nothing to run on this slide")
            return
        index = self.state.index
        self.extra_slide = index
        if console and not docker:
            from slidekit.present.console import run_console  # noqa: PLC0415 - boundary, see above

            self.extra_lines = [Text("console: starting…", style="bold")]
            folder = str(Path(self.deck.path).resolve().parent)
            target: Callable[[], None] = partial(run_console, self.deck, console, self._progress(index), folder)
        elif docker:
            self.extra_lines = [Text("docker build: starting…", style="bold")]
            target = partial(build.run_stage, self.deck, docker, self._progress(index), self.options.engine)
        else:
            self.extra_lines = [Text(f"running {len(blocks)} block(s)…", style="bold")]

            def target() -> None:
                self._show_runs(index, runcode.run_slide(slide))
        self.worker = threading.Thread(target=target, daemon=True)
        self.worker.start()

    def _progress(self, index: int) -> Callable[..., None]:
        def update(lines: list[Text], done: bool = False) -> None:
            if self.extra_slide == index:
                self.extra_lines = [Text("")] + lines
                self.changed = True
                if done:
                    self.refresh_badges()
                self.screen.wake()

        return update

    def _show_runs(self, index: int, results: list[RunResult]) -> None:
        lines: list[Text] = []
        for result in results:
            lines.append(Text(""))
            if result.status is None:
                lines.append(Text(f"▶ {result.lang}: {result.error}", style="bold red"))
            else:
                style = "bold green" if result.status == 0 else "bold red"
                lines.append(Text(f"▶ {result.lang}: exit status {result.status} ({result.seconds:.2f}s)", style=style))
            for text, style in ((result.stdout, ""), (result.stderr, "red")):
                if text.strip():
                    lines.extend(Text(row, style=style) for row in text.rstrip("\n").split("\n"))
        if self.extra_slide == index:
            self.extra_lines = lines
            self.changed = True
            self.screen.wake()

    # ------------------------------------------------------------------ loop

    def finish_loading(self) -> None:
        """Swap the first-frame stand-in for the fully parsed deck (errors end the talk
        with the usual ``path:line: message``, as they would have before the first frame)."""
        if self.loader is None:
            return
        loader, self.loader = self.loader, None
        deck = loader()
        self._set_deck(deck, self.theme)
        self.warnings = deck.warnings
        if deck.warnings:
            more = f" (+{len(deck.warnings) - 1} more, printed on exit)" if len(deck.warnings) > 1 else ""
            self.state = replace(self.state, message=f"warning: {deck.warnings[0]}{more}")
            self.draw()

    def run(self) -> None:
        self.draw()
        self.finish_loading()
        next_poll = time.monotonic() + POLL
        dirty = False
        while True:
            self.prefetch()
            keys = self.screen.read_keys(max(next_poll - time.monotonic(), 0.0))
            for key in keys:
                before = self.state
                self.state, effect = sm.handle(
                    self.state, key, replace(self.view, page=self.page, max_scroll=self.max_scroll,
                                             interrupted=self.screen.key_waiting))
                if effect is sm.Effect.QUIT:
                    return
                if effect is sm.Effect.RELOAD:
                    self.reload()
                elif effect is sm.Effect.EXEC:
                    self.execute()
                dirty = dirty or self.state != before or effect is not sm.Effect.NONE
            if time.monotonic() >= next_poll:
                next_poll = time.monotonic() + POLL
                if self.changed_on_disk():
                    self.reload()
                    dirty = True
                if self.options.duration is not None and int(time.time()) != self.last_tick:  # the footer countdown
                    self.last_tick = int(time.time())
                    dirty = True
            if self.screen.resized:
                self.screen.resized = False
                dirty = True
            if self.worker is not None and not self.worker.is_alive():
                self.worker = None
            if self.changed:
                self.changed = False
                dirty = True
            if dirty:
                self.draw()
                dirty = False


def _theme_file(deck: Deck, override: str | None) -> Path | None:
    """The theme file to watch: the one the deck names even when it is broken
    (the loaded theme is then a fallback, and fixing the file must reload)."""

    name = override or deck.meta.theme
    if not name or name.startswith("http"):
        return None
    return resolve_theme_path(name, deck_dir(deck))


def _same_theme_file(current: LoadedTheme, wanted: Path | None) -> bool:
    """Whether the theme on screen was loaded from ``wanted`` (the file the deck names)."""
    if wanted is None or current.path is None or current.warnings:
        return False
    try:
        return current.path.resolve() == wanted.resolve()
    except OSError:
        return False


def _console_badges(deck: Deck) -> dict[int, ConsoleStatus]:
    """Per-slide console block verdicts from cached outputs (nothing runs)."""
    from slidekit.verify.console import cached_console, slide_console_statuses  # noqa: PLC0415 - boundary: background

    try:
        return slide_console_statuses(cached_console(deck))
    except Exception:  # noqa: BLE001 - badges are decoration; never break the talk
        return {}


def _badges(deck: Deck) -> dict[int, StageStatus] | None:
    """Per-slide Docker stage status from the verifier's cache, if there is one."""
    from slidekit.verify.status import slide_statuses  # noqa: PLC0415 - boundary: loads in the background

    try:
        return slide_statuses(deck)
    except Exception:  # noqa: BLE001 - badges are decoration; never break the talk
        return None


def present(options: Options, deck: Deck, theme: LoadedTheme, in_fd: int, out_fd: int, *,
            loader: Callable[[], Deck] | None = None) -> None:
    screen = Screen(in_fd, out_fd)
    presenter: Presenter | None = None
    try:
        screen.open()
        presenter = Presenter(options, deck, theme, screen, loader)
        presenter.run()
    finally:
        screen.close()
        if presenter is not None:
            _forget(presenter)
            for warning in presenter.warnings:
                output.warn(warning)


def _forget(presenter: Presenter) -> None:
    """Remove our position file so a notes view knows the talk is over."""
    try:
        path = presenter.sync_path
        if path.exists() and f'"pid": {os.getpid()}' in path.read_text(encoding="utf-8"):
            path.unlink()
    except OSError:
        pass
