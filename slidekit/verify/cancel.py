"""Cancelling verifications that run in other threads (``verify -j``): the main thread sees Ctrl-C."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable


class Cancel:
    """Ctrl-C seen by the main thread, for the decks verified in other threads: a flag their
    progress callbacks check, and callbacks (a builder's ``abort``) run when it is set."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` when cancelled (now, if already); returns a function that forgets it."""
        with self._lock:
            self._callbacks.append(callback)
        if self._event.is_set():
            callback()

        def forget() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return forget

    def set(self) -> None:
        self._event.set()
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            with contextlib.suppress(Exception):  # aborting a build is best effort
                callback()
