"""File access for the CLI: reading decks with clear errors, writing atomically."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from slidekit.errors import DeckError, SlidekitError


def read_deck_text(path: str) -> str:
    """Read a deck as UTF-8 (``-`` is stdin); errors name the file and line."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise DeckError("no such file", path) from None
        except IsADirectoryError:
            raise DeckError("is a directory, not a deck file", path) from None
        except OSError as exc:
            raise DeckError(f"cannot read: {exc.strerror}", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DeckError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path, line) from None


def _special(path: Path) -> os.stat_result | None:
    """The stat of ``path`` if it exists and is not a regular file (device, FIFO,
    socket, directory), following symlinks; None otherwise."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise SlidekitError(f"cannot write: {exc.strerror}", str(path)) from None
    return None if stat.S_ISREG(info.st_mode) else info


def _write_through(path: Path, info: os.stat_result | None, payload: bytes) -> None:
    """Write into an existing character device or FIFO (``-o /dev/null``,
    ``-o /dev/stdout``) instead of renaming a file over it; refuse the rest."""
    mode = info.st_mode if info is not None else stat.S_IFREG
    if stat.S_ISDIR(mode):
        raise SlidekitError("is a directory, not a file", str(path))
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISREG(mode)):
        kind = "a socket" if stat.S_ISSOCK(mode) else "a block device" if stat.S_ISBLK(mode) else "a special file"
        raise SlidekitError(f"refusing to write: {kind}, not a file", str(path))
    flags = os.O_WRONLY | (os.O_NONBLOCK if stat.S_ISFIFO(mode) else 0) | (os.O_TRUNC if stat.S_ISREG(mode) else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        reason = "no process is reading the FIFO" if exc.errno == errno.ENXIO else exc.strerror
        raise SlidekitError(f"cannot write: {reason}", str(path)) from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise SlidekitError(f"cannot write: {exc.strerror}", str(path)) from None
    finally:
        os.close(fd)


def refuse_same_outputs(*outputs: tuple[str, Path]) -> None:
    """Two outputs of one run naming the same file (``export --pdf -o same.pdf``):
    the second would overwrite the first — a usage error instead. ``outputs`` are
    (what it is, path) pairs."""
    seen: dict[str, str] = {}
    for what, path in outputs:
        key = os.path.realpath(path)
        if key in seen:
            raise SlidekitError(f"the {what} and the {seen[key]} would be the same file (choose another -o)",
                                str(path))
        seen[key] = what


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file and rename, so a reader never
    sees half a file and a failed write leaves the old file intact.

    A symlink is followed (the file it points to is replaced, the link stays). An
    existing character device or FIFO (``/dev/null``, ``/dev/stdout``) is written
    into, never replaced; sockets, block devices and folders are refused. So is a
    path under ``/dev`` or ``/proc`` (``/dev/stdout`` redirected to a file is written
    through: the shell holds that file open).

    ``durable=False`` skips the fsync, for small files rewritten often that only
    matter while slidekit runs (the presenter's position file, on every key)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    given = Path(path)
    special = _special(given)
    if special is not None or str(given).startswith(("/dev/", "/proc/")):
        _write_through(given, special, payload)
        return
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise SlidekitError(f"cannot write: {exc.strerror}", str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refuse_overwriting_deck(deck_path: str, target: str | os.PathLike[str], option: str) -> None:
    """An output path that is the deck itself (``-o talk.md``, a deck named ``talk.html``, a link to it)
    would destroy the user's deck: a usage error (exit 2) naming the ``option`` instead."""
    if deck_path == "-":
        return
    deck, out = Path(deck_path), Path(target)
    try:
        same = deck.resolve() == out.resolve() or (deck.exists() and out.exists() and deck.samefile(out))
    except OSError:
        same = False
    if same:
        raise SlidekitError(f"{option}: refusing to overwrite the deck (choose another file)", str(target))
