"""Local images → ``data:`` URIs for the single-file export (the one part that reads files).

Only files inside the deck's folder (or folders the user allows) that are regular
files with an image's magic bytes are embedded: see :mod:`slidekit.confine`."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from slidekit.confine import MAX_IMAGE_BYTES, Confinement, read_image

#: file suffix → MIME type of the images we embed
MIME: dict[str, str] = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".avif": "image/avif", ".bmp": "image/bmp",
}
DEFAULT_CAP = MAX_IMAGE_BYTES


@dataclass(frozen=True)
class ImageLookup:
    """A data URI, or why there is none (``problem`` is shown in a warning)."""

    uri: str | None
    problem: str | None = None


ImageResolver = Callable[[str], ImageLookup]


def make_resolver(base: Path | None, cap: int = MAX_IMAGE_BYTES, limits: Confinement | None = None) -> ImageResolver:
    """A resolver reading images relative to ``base`` (the deck's folder), memoised.
    Files are read only inside ``limits`` (default: ``base`` alone)."""
    cache: dict[str, ImageLookup] = {}
    if limits is None:
        limits = Confinement(() if base is None else (base.resolve(),))

    def resolve(src: str) -> ImageLookup:
        if src not in cache:
            cache[src] = _lookup(src, base, cap, limits)
        return cache[src]

    return resolve


def _lookup(src: str, base: Path | None, cap: int, limits: Confinement) -> ImageLookup:
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") or src.startswith("//"):
        return ImageLookup(None, "remote image not embedded (the export stays offline)")
    if parts.scheme == "data":
        return ImageLookup(src)
    if parts.scheme not in ("", "file"):
        return ImageLookup(None, f"unsupported image URL scheme `{parts.scheme}`")
    raw = unquote(parts.path)
    if "\0" in raw or not raw:
        return ImageLookup(None, "not a file name")
    try:
        path = Path(raw).expanduser()
    except RuntimeError:  # ~nosuchuser/...
        return ImageLookup(None, "unknown user in `~user`")
    if not path.is_absolute():
        if base is None:
            return ImageLookup(None, "relative image in a deck read from stdin")
        path = base / path
    found = read_image(path, limits, cap)
    if found.data is None:
        return ImageLookup(None, found.problem)
    return ImageLookup(f"data:{found.mime};base64,{base64.b64encode(found.data).decode('ascii')}")
