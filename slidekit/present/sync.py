"""The presenter's position, shared with ``slidekit present --notes`` through a small file.

The presenter writes ``{"slide", "step", "started", "pid", "updated"}`` atomically to
``$XDG_RUNTIME_DIR/slidekit/<sha of the deck path>.json`` (or
``/tmp/slidekit-<uid>/…``); the notes view polls it. A file is a robust channel:
either side may start first or restart, and a half-written file is never seen.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from slidekit.files import write_atomic


@dataclass(frozen=True)
class Position:
    slide: int
    step: int
    started: float  # when the presenter started (epoch seconds): the talk timer
    pid: int
    updated: float


def state_dir(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    runtime = env.get("SLIDEKIT_STATE_DIR") or ""
    if runtime:
        return Path(runtime)
    xdg = env.get("XDG_RUNTIME_DIR") or ""
    if xdg and os.path.isdir(xdg):
        return Path(xdg) / "slidekit"
    return Path(tempfile.gettempdir()) / f"slidekit-{os.getuid()}"


def state_path(deck_path: str, env: dict[str, str] | None = None) -> Path:
    """The position file for the deck at ``deck_path`` (same file from any cwd)."""

    key = str(Path(deck_path).resolve()) if deck_path != "-" else "-"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return state_dir(env) / f"{digest}.json"


def write_position(path: Path, position: Position) -> None:
    """Write atomically but without fsync: this runs on every keypress and the
    file only matters while the talk is on."""

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(path, json.dumps(asdict(position)), durable=False)


def read_position(path: Path) -> Position | None:
    """The last written position, or None if there is none (or it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Position(
            slide=int(data["slide"]), step=int(data["step"]), started=float(data["started"]),
            pid=int(data["pid"]), updated=float(data["updated"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
