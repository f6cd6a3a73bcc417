"""Local images → ``data:`` URIs for the single-file export (the one part that reads files)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: file suffix → MIME type of the images we embed
MIME: dict[str, str] = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".avif": "image/avif", ".bmp": "image/bmp",
}
DEFAULT_CAP = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImageLookup:
    """A data URI, or why there is none (``problem`` is shown in a warning)."""

    uri: str | None
    problem: str | None = None


ImageResolver = Callable[[str], ImageLookup]


def make_resolver(base: Path | None, cap: int = DEFAULT_CAP) -> ImageResolver:
    """A resolver reading images relative to ``base`` (the deck's folder), memoised."""
    cache: dict[str, ImageLookup] = {}

    def resolve(src: str) -> ImageLookup:
        if src not in cache:
            cache[src] = _lookup(src, base, cap)
        return cache[src]

    return resolve


def _lookup(src: str, base: Path | None, cap: int) -> ImageLookup:
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") or src.startswith("//"):
        return ImageLookup(None, "remote image not embedded (the export stays offline)")
    if parts.scheme == "data":
        return ImageLookup(src)
    if parts.scheme not in ("", "file"):
        return ImageLookup(None, f"unsupported image URL scheme `{parts.scheme}`")
    path = Path(unquote(parts.path)).expanduser()
    if not path.is_absolute():
        if base is None:
            return ImageLookup(None, "relative image in a deck read from stdin")
        path = base / path
    mime = MIME.get(path.suffix.lower())
    if mime is None:
        return ImageLookup(None, f"not an image type the export embeds ({path.suffix or 'no suffix'})")
    try:
        size = path.stat().st_size
        if size > cap:
            return ImageLookup(None, f"image is {size // 1024} KiB, over the {cap // 1024} KiB limit")
        data = path.read_bytes()
    except FileNotFoundError:
        return ImageLookup(None, "image not found")
    except OSError as exc:
        return ImageLookup(None, f"cannot read image: {exc.strerror}")
    return ImageLookup(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}")
