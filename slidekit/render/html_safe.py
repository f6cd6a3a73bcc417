"""Everything that makes deck text safe to put in an HTML page, in one place.

Deck content is untrusted: text is escaped here, URLs are checked here, raw
HTML (only with ``--allow-html``) is filtered here, and JSON destined for a
``<script>`` element is escaped here. Nothing else in the HTML renderer builds
markup out of deck strings without going through these functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape as _escape
from html.parser import HTMLParser
from urllib.parse import unquote

#: URL schemes a link or image may use; anything else becomes "#".
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "ftps"})
#: ``data:`` URLs allowed (images only; SVG is excluded because it can carry script).
SAFE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp)(;base64)?,", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
NEUTRAL_URL = "#"


def esc(text: str) -> str:
    """Text content: ``& < > " '`` escaped."""
    return _escape(text, quote=True)


def attr(name: str, value: str) -> str:
    """One ``name="value"`` pair with the value escaped (``name`` is ours, never the deck's)."""
    return f' {name}="{_escape(value, quote=True)}"'


def safe_url(url: str, *, image: bool = False) -> str:
    """``url`` if it is harmless, else ``#``.

    Browsers ignore control characters and whitespace inside a scheme
    (``java\\tscript:``), so the scheme is read with those removed. Relative URLs
    and fragments are fine; ``data:`` is allowed only for raster images.
    """
    # browsers ignore these inside a scheme; decoding %xx also catches "java%09script:"
    probe = _CONTROL.sub("", unquote(url))
    match = _SCHEME.match(probe)
    if match is None:
        # no scheme: relative path, fragment or query; "//host" is network-relative
        return url
    scheme = match.group(1).lower()
    if scheme == "data":
        return url if image and SAFE_DATA.match(probe) else NEUTRAL_URL
    return url if scheme in SAFE_SCHEMES else NEUTRAL_URL


def script_json(value: object) -> str:
    """JSON that can sit inside ``<script type="application/json">``: no ``</script>``,
    no ``<!--``, and no U+2028/U+2029 line separators survive literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --------------------------------------------------------------------------- raw HTML (--allow-html)

#: elements dropped with their content even when raw HTML is allowed
_DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "frame", "frameset",
                                "noscript", "template", "applet"})
#: elements dropped (their content is kept) even when raw HTML is allowed
_DROP_TAG = frozenset({"base", "meta", "link", "form", "html", "head", "body", "title",
                       # SVG animation rewrites attributes after the filter ran (href → javascript:)
                       "animate", "set", "animatemotion", "animatetransform", "animatecolor", "discard"})
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "background",
                        "cite", "longdesc", "data", "srcset", "ping", "lowsrc", "dynsrc"})
_DROP_ATTRS = frozenset({"style", "srcdoc", "http-equiv", "ping", "attributename", "values", "from", "to", "by"})
#: SVG elements whose ``href``/``xlink:href`` is fetched on load (not a link to follow)
_SVG_FETCHING = frozenset({"image", "use", "feimage", "script", "mpath", "tref"})
_VOID = frozenset({"area", "br", "col", "hr", "img", "input", "source", "track", "wbr"})


#: attributes whose URL the browser fetches while loading the page
_FETCHED = frozenset({"src", "poster", "background", "lowsrc", "dynsrc", "data"})


def _drop_all(url: str) -> str | None:
    return None


class _Filter(HTMLParser):
    def __init__(self, embed: Callable[[str], str | None]) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.embed = embed

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts: list[str] = []
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on") or name in _DROP_ATTRS or not re.fullmatch(r"[a-z_:][-a-z0-9_:.]*", name):
                continue
            if value is None:
                parts.append(f" {name}")
                continue
            if tag in _SVG_FETCHING and name in ("href", "xlink:href"):
                if value.startswith("#"):  # <use href="#shape">: a reference inside the page
                    parts.append(attr(name, value))
                    continue
                embedded = self.embed(value)
                if embedded is None:
                    continue
                value = embedded
            elif name in _FETCHED:
                # fetched on load: only an embedded data: URI may stay (the page is offline)
                embedded = self.embed(value)
                if embedded is None:
                    continue
                value = embedded
            elif name == "srcset":
                continue
            elif name in _URL_ATTRS:
                value = safe_url(value)
            parts.append(attr(name, value))
        return "".join(parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_WITH_CONTENT:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip or tag in _DROP_TAG:
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or tag in _DROP_TAG or tag in _DROP_WITH_CONTENT:
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_WITH_CONTENT:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip or tag in _DROP_TAG or tag in _VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(esc(data))

    # comments, declarations, processing instructions: dropped
    def handle_comment(self, data: str) -> None:
        return None


def filter_html(raw: str, embed: Callable[[str], str | None] = _drop_all) -> str:
    """Raw deck HTML with script-capable parts removed (used only with --allow-html).

    Defence in depth: the page's Content-Security-Policy already forbids every
    script but the exporter's own; this also drops event handler attributes,
    ``<script>``/``<iframe>``/``<object>``…, ``style`` attributes and unsafe URLs.
    ``embed`` turns a fetched URL (``<img src>``…) into a data URI, or None to drop it.
    """
    parser = _Filter(embed)
    parser.feed(raw)
    parser.close()
    return "".join(parser.out)
