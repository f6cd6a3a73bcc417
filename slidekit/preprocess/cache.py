"""The output cache: ``<deck dir>/.slidekit-cache/preprocess/<sha256>.json``.

Keyed by the command text, its argv and the block body, so presenting and
exporting reuse an output without running anything, and a committed cache lets
a deck show its diagrams on a machine without the tool. A cached output is data,
not execution: it is used even for untrusted decks. Only successful runs
(exit status 0) are stored; entries are written atomically.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from slidekit.errors import SlidekitError
from slidekit.files import write_atomic

CACHE_DIR = Path(".slidekit-cache") / "preprocess"
FORMAT = 1


@dataclass(frozen=True)
class CacheEntry:
    command: str
    argv: tuple[str, ...]
    body_sha256: str
    stdout: str
    stderr: str
    exit_status: int
    created: str


def cache_key(command: str, argv: Sequence[str], body: str) -> str:
    """sha256 over (command, argv, body), unambiguously framed as JSON."""
    payload = json.dumps({"command": command, "argv": list(argv), "body": body}, ensure_ascii=False,
                         sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def new_entry(command: str, argv: Sequence[str], body: str, stdout: str, stderr: str,
              exit_status: int, now: _dt.datetime | None = None) -> CacheEntry:
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return CacheEntry(command, tuple(argv), body_hash(body), stdout, stderr, exit_status,
                      now.replace(microsecond=0).isoformat())


def encode(entry: CacheEntry) -> str:
    data = {"format": FORMAT, **asdict(entry), "argv": list(entry.argv)}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def decode(text: str, command: str, body: str) -> CacheEntry | None:
    """The entry in ``text`` if it is well-formed and really for (command, body);
    anything else is a cache miss."""
    try:
        data = json.loads(text)
        if not isinstance(data["stdout"], str):
            return None
        entry = CacheEntry(
            command=str(data["command"]), argv=tuple(str(a) for a in data["argv"]),
            body_sha256=str(data["body_sha256"]), stdout=data["stdout"], stderr=str(data.get("stderr", "")),
            exit_status=int(data["exit_status"]), created=str(data.get("created", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None
    if entry.exit_status != 0:
        return None
    if entry.command != command or entry.body_sha256 != body_hash(body):
        return None
    return entry


def entry_path(deck_dir: Path, key: str) -> Path:
    return deck_dir / CACHE_DIR / f"{key}.json"


def load(deck_dir: Path, key: str, command: str, body: str) -> CacheEntry | None:
    try:
        text = entry_path(deck_dir, key).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return decode(text, command, body)


def store(deck_dir: Path, key: str, entry: CacheEntry) -> str | None:
    """Write an entry; returns a warning instead of failing (a read-only deck
    folder must not stop a talk)."""
    path = entry_path(deck_dir, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, encode(entry))
    except (OSError, SlidekitError) as exc:
        reason = exc.message if isinstance(exc, SlidekitError) else (exc.strerror or str(exc))
        return f"{path}: cannot write pre-processing cache ({reason})"
    return None
