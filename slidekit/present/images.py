"""Reading a slide's images for the terminal (the I/O half of :mod:`slidekit.render.term_image`).

Remote URLs are never fetched (the slide says so); local files must lie inside the deck's folder (a deck
cannot make the presenter read ``/etc/...`` or ``../..``); Pillow decodes them, with a size cap.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

from slidekit.render.term_image import PROTOCOLS, Loaded, TerminalImages, detect_protocol

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000


def make_loader(base: Path | None) -> Callable[[str], Loaded]:
    """A memoised loader of images relative to ``base`` (the deck's folder)."""
    cache: dict[str, Loaded] = {}

    def load(src: str) -> Loaded:
        if src not in cache:
            cache[src] = _load(src, base)
        return cache[src]

    return load


def _load(src: str, base: Path | None) -> Loaded:
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") or src.startswith("//"):
        return Loaded(None, f"remote image not fetched ({src})")
    if parts.scheme not in ("", "file"):
        return Loaded(None, f"unsupported image URL scheme `{parts.scheme}`")
    if base is None:
        return Loaded(None, "images of a deck read from stdin are not shown")
    path = Path(unquote(parts.path)).expanduser()
    path = (path if path.is_absolute() else base / path).resolve()
    if not path.is_relative_to(base.resolve()):
        return Loaded(None, "image outside the deck's folder not shown")
    try:
        if path.stat().st_size > MAX_BYTES:
            return Loaded(None, f"image over {MAX_BYTES // 1024 // 1024} MiB not shown")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    return Loaded(None, "image too large to show")
                opened.load()
                image = opened.copy()
    except FileNotFoundError:
        return Loaded(None, "image not found")
    except (OSError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        return Loaded(None, f"cannot read image: {exc}")
    return Loaded(image)


def terminal_images(base: Path | None, forced: str | None, env: Mapping[str, str]) -> TerminalImages:
    """The presenter's image drawing: ``--image-protocol`` when given (``auto`` or None detects)."""
    protocol = forced if forced in PROTOCOLS else detect_protocol(env)
    return TerminalImages(make_loader(base), protocol)
