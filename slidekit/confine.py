"""What a deck may read: files inside its own folder (after resolving symlinks),
plus folders the *user* allows (``--allow-path DIR`` or ``allow_paths:`` in the user
config). A deck's front matter can never widen this.

Also the checks for a file that is embedded as an image: a regular file (not a FIFO,
device or socket), at most :data:`MAX_IMAGE_BYTES`, whose first bytes are an image
format's magic (the suffix is not trusted).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from slidekit import userconfig

#: the largest image the export embeds
MAX_IMAGE_BYTES = 20 * 1024 * 1024
ALLOW_PATHS_KEY = "allow_paths"


@dataclass(frozen=True)
class Confinement:
    """Resolved folders files may come from."""

    roots: tuple[Path, ...]
    warnings: tuple[str, ...] = ()

    def inside(self, path: Path) -> bool:
        """Is ``path`` (resolved here, symlinks followed) inside one of the roots?"""
        try:
            real = Path(os.path.realpath(path))
        except (OSError, ValueError):
            return False
        return any(real == root or root in real.parents for root in self.roots)

    def refusal(self, path: Path) -> str | None:
        """Why ``path`` may not be read, or None."""
        if self.inside(path):
            return None
        return "outside the deck's folder (allow it with --allow-path DIR or allow_paths in your config)"


def confinement(deck_dir: Path | None, allow_paths: Iterable[str | Path] = (),
                env: Mapping[str, str] | None = None, home: Path | None = None) -> Confinement:
    """The deck's folder plus the command line's ``--allow-path`` folders and the user
    config's ``allow_paths`` (read here)."""
    home = Path.home() if home is None else home
    config = userconfig.read(env, home)
    configured, warnings = config.paths(ALLOW_PATHS_KEY, home)
    roots = [deck_dir] if deck_dir is not None else []
    roots += [Path(os.path.expanduser(str(p))) for p in allow_paths]
    roots += configured
    resolved = tuple(dict.fromkeys(Path(os.path.realpath(r)) for r in roots))
    return Confinement(resolved, tuple(config.warnings) + warnings)


# --------------------------------------------------------------------------- images

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"BM", 0, "image/bmp"),
    (b"\x00\x00\x01\x00", 0, "image/x-icon"),
)


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes of a file announce (PNG, JPEG, GIF, WebP, AVIF,
    BMP, ICO, SVG), or None."""
    for magic, offset, mime in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "image/avif"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith((b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in text):
        return "image/svg+xml"
    return None


@dataclass(frozen=True)
class ImageFile:
    data: bytes | None
    mime: str | None = None
    problem: str | None = None


def read_image(path: Path, limits: Confinement, cap: int = MAX_IMAGE_BYTES) -> ImageFile:
    """Read ``path`` as an image to embed, or say why not (never blocks on a FIFO,
    never reads a device, never leaves the allowed folders)."""
    refusal = limits.refusal(path)
    if refusal is not None:
        return ImageFile(None, None, refusal)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return ImageFile(None, None, "image not found")
    except (OSError, ValueError) as exc:
        return ImageFile(None, None, f"cannot read image: {getattr(exc, 'strerror', None) or exc}")
    if not stat.S_ISREG(info.st_mode):
        return ImageFile(None, None, "not a regular file (a folder, device, FIFO or socket is never embedded)")
    if info.st_size > cap:
        return ImageFile(None, None, f"image is {info.st_size // 1024} KiB, over the {cap // 1024} KiB limit")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped after the stat
                return ImageFile(None, None, "not a regular file")
            data = fh.read(cap + 1)
    except OSError as exc:
        return ImageFile(None, None, f"cannot read image: {exc.strerror}")
    if len(data) > cap:
        return ImageFile(None, None, f"image is over the {cap // 1024} KiB limit")
    mime = sniff(data[:512])
    if mime is None:
        return ImageFile(None, None, "not an image (its first bytes are no PNG, JPEG, GIF, WebP, AVIF, BMP, ICO or SVG)")
    return ImageFile(data, mime)
