"""Drive the real ``slidekit present`` inside tmux and read the real screen back.

Each :class:`Tmux` has its own tmux server (``-L`` socket), so tests never see
each other; :meth:`Tmux.wait_for` polls ``capture-pane`` with a short interval
instead of sleeping.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

TMUX = "/usr/bin/tmux"
SLIDEKIT = [sys.executable, "-m", "slidekit"]


def deck_text(count: int, *, extra: dict[int, str] | None = None, front: str = "author: Tester") -> str:
    """A deck with ``count`` slides titled ``Slide N title``; ``extra[N]`` is appended to slide N."""
    extra = extra or {}
    slides = [f"# Slide {n} title\n\nbody of slide {n}\n" + (("\n" + extra[n]) if n in extra else "")
              for n in range(1, count + 1)]
    return f"---\n{front}\n---\n\n" + "\n---\n\n".join(slides)


class Tmux:
    def __init__(self, workdir: Path, width: int = 80, height: int = 24) -> None:
        self.socket = f"skt-{uuid.uuid4().hex[:10]}"
        self.workdir = workdir
        self.width, self.height = width, height
        self.env = {
            "SLIDEKIT_STATE_DIR": str(workdir / "state"),
            "XDG_CONFIG_HOME": str(workdir / "config"),
            "TERM": "xterm-256color",
        }
        self.windows = 0

    def tmux(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-L", self.socket, "-f", "/dev/null", *args],
                                capture_output=True, text=True, timeout=10)
        if result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def start(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run ``slidekit ARGS`` in a new window; returns its target name."""
        name = f"w{self.windows}"
        self.windows += 1
        environment = {**self.env, **(env or {})}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items())
        command = f"cd {shlex.quote(str(self.workdir))} && env -u COLUMNS -u LINES {exports} " \
                  f"{shlex.join([*SLIDEKIT, *args])} 2>{shlex.quote(str(self.workdir / (name + '.err')))}; " \
                  f"echo EXITED $?; sleep 30"
        if name == "w0":
            self.tmux("new-session", "-d", "-s", "main", "-n", name,
                      "-x", str(self.width), "-y", str(self.height), command)
        else:
            self.tmux("new-window", "-d", "-t", "main", "-n", name, command)
        return f"main:{name}"

    def keys(self, *keys: str, target: str = "main:w0") -> None:
        self.tmux("send-keys", "-t", target, *keys)

    def type(self, text: str, target: str = "main:w0") -> None:
        self.tmux("send-keys", "-t", target, "-l", text)

    def screen(self, target: str = "main:w0") -> str:
        return self.tmux("capture-pane", "-p", "-t", target)

    def lines(self, target: str = "main:w0") -> list[str]:
        return self.screen(target).split("\n")

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def stderr(self, target: str = "main:w0") -> str:
        path = self.workdir / (target.split(":")[1] + ".err")
        return path.read_text() if path.exists() else ""

    def wait_for(self, expected: str | Callable[[str], bool], target: str = "main:w0",
                 timeout: float = 8.0) -> str:
        """Poll the screen until ``expected`` (text or predicate) holds; returns the screen."""
        check = expected if callable(expected) else (lambda screen: expected in screen)
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(target)
            if check(screen):
                return screen
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {expected!r}; screen was:\n{screen}\n"
                             f"stderr:\n{self.stderr(target)}")

    def kill(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


def footer(screen: str) -> str:
    """The last non-empty line of the screen."""
    rows = [row for row in screen.split("\n") if row.strip()]
    return rows[-1] if rows else ""


def on_slide(number: int, total: int) -> Callable[[str], bool]:
    return lambda screen: f"Slide {number} / {total}" in footer(screen)


def env_without_columns() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
