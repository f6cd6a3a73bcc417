"""Terminal I/O for the presenter: raw mode, alternate screen, keys, frames.

The terminal is always given back: :meth:`Screen.close` (called from
``finally``, the excepthook and the SIGTERM handler) shows the cursor, leaves
the alternate screen and restores the saved termios settings.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import termios
import tty
from types import FrameType, TracebackType
from typing import Any

from slidekit.present.keys import decode

ENTER = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"
LEAVE = "\x1b[0m\x1b[?25h\x1b[?1049l"

#: how long to wait for the rest of an escape sequence before taking ESC alone
ESC_WAIT = 0.03


class Terminated(BaseException):
    """Raised from the SIGTERM/SIGHUP handler so ``finally`` blocks restore the terminal.

    A BaseException, like KeyboardInterrupt: the talk's ``except Exception`` guards
    (a slide that cannot render, a broken reload) must not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.exit_code = 128 + signum


class Screen:
    """A raw-mode terminal on (``in_fd``, ``out_fd``)."""

    def __init__(self, in_fd: int, out_fd: int) -> None:
        self.in_fd = in_fd
        self.out_fd = out_fd
        self._saved: list[Any] | None = None  # termios attributes
        self._open = False
        self._pending = ""
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self.resized = True
        self._old_handlers: dict[int, object] = {}
        self._old_hook = sys.excepthook

    # ------------------------------------------------------------------ lifecycle

    def open(self) -> None:
        self._saved = termios.tcgetattr(self.in_fd)
        tty.setraw(self.in_fd, termios.TCSANOW)
        self._open = True
        self.write(ENTER)
        self._old_handlers[signal.SIGWINCH] = signal.signal(signal.SIGWINCH, self._on_winch)
        self._old_handlers[signal.SIGTERM] = signal.signal(signal.SIGTERM, self._on_term)
        self._old_handlers[signal.SIGHUP] = signal.signal(signal.SIGHUP, self._on_term)
        self._old_hook = sys.excepthook
        sys.excepthook = self._excepthook

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        try:
            self.write(LEAVE)
        finally:
            if self._saved is not None:
                termios.tcsetattr(self.in_fd, termios.TCSAFLUSH, self._saved)
            for signum, handler in self._old_handlers.items():
                signal.signal(signum, handler)  # type: ignore[arg-type]  # getsignal() may give None for a C handler
            self._old_handlers.clear()
            sys.excepthook = self._old_hook

    def __enter__(self) -> Screen:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        self.close()
        self._old_hook(kind, value, tb)

    def _on_winch(self, signum: int, frame: FrameType | None) -> None:
        self.resized = True
        self.wake()

    def _on_term(self, signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    def wake(self) -> None:
        """Interrupt :meth:`read_keys` (safe from signal handlers and threads)."""
        try:
            os.write(self._wake_w, b"x")
        except (BlockingIOError, OSError):
            pass

    # ------------------------------------------------------------------ I/O

    def size(self) -> tuple[int, int]:
        """(columns, rows)."""
        try:
            cols, rows = os.get_terminal_size(self.out_fd)
        except OSError:
            cols, rows = os.get_terminal_size(self.in_fd)
        return cols, rows

    def write(self, text: str) -> None:
        data = text.encode("utf-8", "replace")
        while data:
            try:
                written = os.write(self.out_fd, data)
            except InterruptedError:
                continue
            except BlockingIOError:
                select.select([], [self.out_fd], [], 1.0)
                continue
            data = data[written:]

    def key_waiting(self) -> bool:
        """Is there unread input (a key pressed while slidekit was busy)?"""
        if self._pending:
            return True
        try:
            ready, _, _ = select.select([self.in_fd], [], [], 0)
        except (OSError, ValueError):
            return False
        return bool(ready)

    def read_keys(self, timeout: float) -> list[str]:
        """Keys typed within ``timeout`` seconds ([] on timeout, resize or wake-up)."""
        try:
            ready, _, _ = select.select([self.in_fd, self._wake_r], [], [], timeout)
        except InterruptedError:
            return []
        if self._wake_r in ready:
            try:
                os.read(self._wake_r, 4096)
            except BlockingIOError:
                pass
        if self.in_fd not in ready:
            return []
        chunk = os.read(self.in_fd, 4096)
        if not chunk:
            raise EOFError("terminal closed")
        keys, self._pending = decode(self._pending + chunk.decode("utf-8", "replace"))
        while self._pending:
            more, _, _ = select.select([self.in_fd], [], [], ESC_WAIT)
            if not more:
                extra, self._pending = decode(self._pending, final=True)
                keys += extra
                break
            data = os.read(self.in_fd, 4096)
            if not data:
                break
            extra, self._pending = decode(self._pending + data.decode("utf-8", "replace"))
            keys += extra
        return keys

    def draw(self, rows: list[str]) -> None:
        """Draw a whole frame at once: each row positioned and cleared to its end."""
        parts = ["\x1b[?2026h"]  # synchronized update (ignored where unsupported)
        for number, row in enumerate(rows, start=1):
            parts.append(f"\x1b[{number};1H\x1b[0m{row}\x1b[0m\x1b[K")
        if len(rows) < self.size()[1]:  # a shorter frame (too small message) leaves nothing behind
            parts.append(f"\x1b[{len(rows) + 1};1H\x1b[0m\x1b[J")
        parts.append("\x1b[?2026l")
        self.write("".join(parts))


def open_tty() -> tuple[int, int]:
    """(input fd, output fd) of the controlling terminal: stdin/stdout when they
    are terminals, else /dev/tty (a deck piped on stdin still gets keys)."""
    in_fd = sys.stdin.fileno() if sys.stdin is not None and sys.stdin.isatty() else -1
    out_fd = sys.stdout.fileno() if sys.stdout is not None and sys.stdout.isatty() else -1
    if in_fd < 0 or out_fd < 0:
        tty_fd = os.open("/dev/tty", os.O_RDWR)
        in_fd = tty_fd if in_fd < 0 else in_fd
        out_fd = tty_fd if out_fd < 0 else out_fd
    return in_fd, out_fd
