"""Reading a slide's images for the terminal (the I/O half of :mod:`slidekit.render.term_image`).

Remote URLs are never fetched (the slide says so); local files are read through :mod:`slidekit.confine` (inside
the deck's folder or the user's ``allow_paths``, regular files, size cap, image magic checked), so a deck cannot
make the presenter read ``/etc/...`` or ``../..``; Pillow decodes them, with a pixel cap.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from slidekit.confine import Confinement, confinement, read_image
from slidekit.render.term_image import PROTOCOLS, Loaded, TerminalImages, detect_protocol

MAX_PIXELS = 40_000_000


def make_loader(base: Path | None, limits: Confinement | None = None) -> Callable[[str], Loaded]:
    """A memoised loader of images relative to ``base`` (the deck's folder), read within ``limits``
    (:func:`slidekit.confine.confinement` of ``base`` when not given)."""
    cache: dict[str, Loaded] = {}
    allowed: list[Confinement] = [limits] if limits is not None else []

    def load(src: str) -> Loaded:
        if src not in cache:
            if not allowed:  # the user's config is read with the first image, not at start-up
                allowed.append(confinement(base))
            cache[src] = _load(src, base, allowed[0])
        return cache[src]

    return load


def _load(src: str, base: Path | None, limits: Confinement) -> Loaded:
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") or src.startswith("//"):
        return Loaded(None, f"remote image not fetched ({src})")
    if parts.scheme not in ("", "file"):
        return Loaded(None, f"unsupported image URL scheme `{parts.scheme}`")
    if base is None:
        return Loaded(None, "images of a deck read from stdin are not shown")
    path = Path(unquote(parts.path)).expanduser()
    read = read_image(path if path.is_absolute() else base / path, limits)
    if read.data is None:
        return Loaded(None, f"image {read.problem}" if read.problem and read.problem.startswith("outside")
                      else read.problem or "cannot read image")
    if read.mime == "image/svg+xml":
        return Loaded(None, "SVG images are shown in the HTML export only")
    # boundary: Pillow loads only when a slide shows a picture
    from PIL import Image  # noqa: PLC0415 - boundary, see above

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(read.data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    return Loaded(None, "image too large to show")
                opened.load()
                image = opened.copy()
    except (OSError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        return Loaded(None, f"cannot decode image: {exc}")
    return Loaded(image)


def terminal_images(base: Path | None, forced: str | None, env: Mapping[str, str]) -> TerminalImages:
    """The presenter's image drawing: ``--image-protocol`` when given (``auto`` or None detects)."""
    protocol = forced if forced in PROTOCOLS else detect_protocol(env)
    return TerminalImages(make_loader(base), protocol)
