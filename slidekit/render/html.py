"""The deck model → one self-contained HTML page (pure: values in, text out).

One ``<section>`` per slide, carrying its number and source lines; ``Pause``
blocks split a slide into ``.sk-step`` groups; notes go into the JSON that only
the speaker view reads. Deck strings reach the page only through
:mod:`slidekit.render.html_safe`. The stylesheet and script are the package's
``assets/deck.css`` and ``assets/deck.js``, inlined; the script is allowed by
its hash in the page's Content-Security-Policy, so nothing else can run.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from pygments.token import _TokenType

from slidekit.deck import model as m
from slidekit.deck.console import is_console, parse_console
from slidekit.deck.meta import footer_parts
from slidekit.highlight import is_dockerfile_lang
from slidekit.highlight.tokens import css_class, tokenize
from slidekit.render.html_css import theme_css
from slidekit.render.html_diagram import diagram_svg
from slidekit.render.html_images import ImageLookup, ImageResolver
from slidekit.render.html_safe import attr, esc, filter_html, safe_url, script_json
from slidekit.theme.schema import Theme
from slidekit.verify.console_match import actual_transcript, command_runs
from slidekit.verify.console_result import ConsoleResult
from slidekit.verify.vocab import StageStatus

CANVAS = {"16:9": (1280, 720), "4:3": (960, 720)}


@dataclass(frozen=True)
class HtmlOptions:
    allow_html: bool = False
    #: slide index → verification status; None = no verification result at all
    statuses: Mapping[int, StageStatus] | None = None
    today: _dt.date | None = None
    title: str | None = None
    #: console block fence line → its verdict; None = no console verification at all
    console: Mapping[int, ConsoleResult] | None = None


@dataclass(frozen=True)
class HtmlResult:
    html: str
    warnings: tuple[str, ...] = ()
    slides: int = 0


@dataclass
class _Ctx:
    path: str
    options: HtmlOptions
    resolve: ImageResolver
    line: int = 1
    warnings: list[str] = field(default_factory=list)


def _no_images(src: str) -> ImageLookup:
    return ImageLookup(None, "images are not embedded")


# --------------------------------------------------------------------------- assets


@cache
def asset(name: str) -> str:
    """A file of ``slidekit/render/assets`` (shipped inside the wheel)."""
    return (resources.files("slidekit.render") / "assets" / name).read_text(encoding="utf-8")


def csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'; "
        "frame-src 'none'; object-src 'none'; connect-src 'none'; font-src 'none'; media-src 'none'"
    )


# --------------------------------------------------------------------------- inline


def _children(nodes: tuple[m.Inline, ...], ctx: _Ctx) -> str:
    return "".join(_INLINE[type(node)](node, ctx) for node in nodes)


def _link(node: m.Link, ctx: _Ctx) -> str:
    href = safe_url(node.href)
    title = attr("title", node.title) if node.title else ""
    return f'<a{attr("href", href)}{title} rel="noopener noreferrer">{_children(node.children, ctx)}</a>'


def _image(node: m.Image, ctx: _Ctx) -> str:
    if node.src.lower().startswith("data:"):
        found = ImageLookup(safe_url(node.src, image=True))
        if found.uri == "#":
            found = ImageLookup(None, "data: URL is not a PNG, JPEG, GIF or WebP image")
    else:
        found = ctx.resolve(node.src)
    if found.uri is None:
        ctx.warnings.append(f"{ctx.path}:{ctx.line}: {found.problem}: {node.src} (alt: {node.alt!r})")
        return (f'<span class="sk-image-alt sk-missing" title="{esc(found.problem or "")}: {esc(node.src)}">'
                f'[{esc(node.alt or node.src)}] <span class="sk-notice">⚠ {esc(found.problem or "not embedded")}</span></span>')
    title = attr("title", node.title) if node.title else ""
    return f'<img{attr("src", found.uri)}{attr("alt", node.alt)}{title}>'


def _embed(ctx: _Ctx) -> Callable[[str], str | None]:
    """For raw HTML: a fetched URL (``<img src>``) → a data URI, or None (warned)."""

    def embed(src: str) -> str | None:
        if src.lower().startswith("data:"):
            safe = safe_url(src, image=True)
            return None if safe == "#" else safe
        found = ctx.resolve(src)
        if found.uri is None:
            ctx.warnings.append(f"{ctx.path}:{ctx.line}: {found.problem}: {src} (raw HTML)")
        return found.uri

    return embed


def _html_inline(node: m.HtmlInline, ctx: _Ctx) -> str:
    if ctx.options.allow_html:
        return filter_html(node.raw, _embed(ctx))
    return f'<code class="sk-raw-inline">{esc(node.raw)}</code>'


_INLINE: dict[type, Callable[..., str]] = {
    m.Text: lambda n, c: esc(n.text),
    m.CodeSpan: lambda n, c: f"<code>{esc(n.text)}</code>",
    m.Emph: lambda n, c: f"<em>{_children(n.children, c)}</em>",
    m.Strong: lambda n, c: f"<strong>{_children(n.children, c)}</strong>",
    m.Strike: lambda n, c: f"<del>{_children(n.children, c)}</del>",
    m.Link: _link,
    m.Image: _image,
    m.SoftBreak: lambda n, c: "\n",
    m.HardBreak: lambda n, c: "<br>\n",
    m.HtmlInline: _html_inline,
}


# --------------------------------------------------------------------------- blocks


def _blocks(blocks: tuple[m.Block, ...], ctx: _Ctx) -> str:
    out: list[str] = []
    for block in blocks:
        ctx.line = block.span.first
        out.append(_BLOCK[type(block)](block, ctx))
    return "\n".join(out)


def _lines(span: m.Span) -> str:
    return attr("data-lines", f"{span.first}-{span.last}")


def _heading(b: m.Heading, ctx: _Ctx) -> str:
    return f"<h{b.level}{_lines(b.span)}>{_children(b.inlines, ctx)}</h{b.level}>"


def _list(b: m.ListBlock, ctx: _Ctx) -> str:
    tag = "ol" if b.ordered else "ul"
    start = attr("start", str(b.start)) if b.ordered and b.start != 1 else ""
    items: list[str] = []
    for item in b.items:
        ctx.line = item.span.first
        box = ""
        if item.checked is not None:
            box = f'<input type="checkbox" disabled{" checked" if item.checked else ""}> '
        inner = item.blocks
        if b.tight and len(inner) >= 1 and isinstance(inner[0], m.Paragraph):
            ctx.line = inner[0].span.first
            first = _children(inner[0].inlines, ctx)
            rest = _blocks(inner[1:], ctx) if len(inner) > 1 else ""
            items.append(f"<li>{box}{first}{rest}</li>")
        else:
            items.append(f"<li>{box}{_blocks(inner, ctx)}</li>")
    classes = ["sk-tasks"] if any(i.checked is not None for i in b.items) else []
    if b.ordered:  # room for the widest number, so 10., 11. … are never clipped
        digits = len(str(abs(b.start + len(b.items) - 1)))
        if digits > 1:
            classes.append(f"sk-d{min(digits, 9)}")
    cls = attr("class", " ".join(classes)) if classes else ""
    return f"<{tag}{start}{cls}{_lines(b.span)}>\n" + "\n".join(items) + f"\n</{tag}>"


def _table(b: m.Table, ctx: _Ctx) -> str:
    def cell(tag: str, inlines: tuple[m.Inline, ...], align: str) -> str:
        style = f' class="sk-{align}"' if align else ""
        return f"<{tag}{style}>{_children(inlines, ctx)}</{tag}>"

    head = "".join(cell("th", c, a) for c, a in zip(b.header, b.aligns))
    rows = "".join(
        "<tr>" + "".join(cell("td", c, a) for c, a in zip(row, b.aligns)) + "</tr>" for row in b.rows
    )
    return f"<table{_lines(b.span)}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


@lru_cache(maxsize=4096)
def highlight(code: str, lang: str) -> str:
    """Code as HTML spans with Pygments' token classes (colours come from the theme
    stylesheet), from the highlighting service's token lines; memoised, so ``--watch``
    re-renders only the code blocks that changed."""
    lines = tokenize(code.rstrip("\n"), lang)
    return "\n".join("".join(_span(token, text) for token, text in line) for line in lines)


def _span(token: _TokenType, text: str) -> str:
    cls = css_class(token)
    return f'<span class="{cls}">{esc(text)}</span>' if cls else esc(text)


def _code(b: m.CodeBlock, ctx: _Ctx) -> str:
    lang = attr("data-lang", b.lang) if b.lang else ""
    code = f'<pre class="sk-code"{lang}{_lines(b.span)}><code>{highlight(b.code, b.lang)}</code></pre>'
    if ctx.options.console is None or not is_console(b):
        return code
    return code + _console_badge(b, ctx.options.console.get(b.span.first))


def _console_badge(b: m.CodeBlock, result: ConsoleResult | None) -> str:
    """checked ✓ / differs ✗ / not checked under a console block; on ✗ its expected and actual output."""
    if result is None:
        return '<div class="sk-console-badge sk-badge-unknown" title="console: not checked">not checked</div>'
    title = f"console ({result.target}): {result.status.value}" if result.target else "console: not checked"
    badge = (f'<div class="sk-console-badge sk-badge-{result.status.badge}"{attr("title", title)}>'
             f"{esc(result.status.label)}</div>")
    if not result.status.failing or not result.outputs:
        return badge
    block = parse_console(b)
    actual = "\n".join(actual_transcript(block, command_runs(result.outputs)))
    where = f"{result.path}:{result.line}: {result.message}"
    return (f'{badge}<div class="sk-console-diff"{attr("title", where)}>'
            f'<div><p class="sk-console-title">expected (slide)</p><pre class="sk-expected">{esc(b.code.rstrip(chr(10)))}</pre></div>'
            f'<div><p class="sk-console-title">actual</p><pre class="sk-actual">{esc(actual)}</pre></div></div>')


def _command(b: m.CommandBlock, ctx: _Ctx) -> str:
    svg = diagram_svg(b.command, b.body, b.output) if b.output is not None and not b.failed else None
    if svg is not None:
        return f'<figure class="sk-diagram"{attr("data-command", b.command)}{_lines(b.span)}>{svg}</figure>'
    if b.output is not None and not b.failed:
        return (f'<pre class="sk-cmd-output"{attr("data-command", b.command)}{_lines(b.span)}>'
                f"{esc(b.output.rstrip(chr(10)))}</pre>")
    notice = f'<p class="sk-notice">{esc(b.notice)}</p>' if b.notice else ""
    output = f'<pre class="sk-cmd-error">{esc(b.output)}</pre>' if b.failed and b.output else ""
    source = f"~~~{b.command}\n{b.body}~~~"
    return (f'<div class="sk-cmd{" sk-failed" if b.failed else ""}"{_lines(b.span)}>'
            f'<pre class="sk-cmd-source">{esc(source)}</pre>{output}{notice}</div>')


def _html_block(b: m.HtmlBlock, ctx: _Ctx) -> str:
    if ctx.options.allow_html:
        return f'<div class="sk-raw"{_lines(b.span)}>{filter_html(b.raw, _embed(ctx))}</div>'
    return f'<pre class="sk-raw"{_lines(b.span)}>{esc(b.raw.rstrip(chr(10)))}</pre>'


_BLOCK: dict[type, Callable[..., str]] = {
    m.Heading: _heading,
    m.Paragraph: lambda b, c: f"<p{_lines(b.span)}>{_children(b.inlines, c)}</p>",
    m.ListBlock: _list,
    m.BlockQuote: lambda b, c: f"<blockquote{_lines(b.span)}>\n{_blocks(b.blocks, c)}\n</blockquote>",
    m.Table: _table,
    m.CodeBlock: _code,
    m.CommandBlock: _command,
    m.HtmlBlock: _html_block,
    m.ThematicBreak: lambda b, c: f"<hr{_lines(b.span)}>",
    m.Pause: lambda b, c: "",
}


# --------------------------------------------------------------------------- slides


def steps_of(slide: m.Slide) -> list[tuple[m.Block, ...]]:
    """The slide's blocks grouped by reveal step (a Pause starts a new group)."""
    groups: list[list[m.Block]] = [[]]
    for block in slide.blocks:
        if isinstance(block, m.Pause):
            groups.append([])
        else:
            groups[-1].append(block)
    return [tuple(g) for g in groups]


def has_dockerfile(slide: m.Slide) -> bool:
    return any(isinstance(b, m.CodeBlock) and is_dockerfile_lang(b.lang) for b in m.walk(slide.blocks))


def _badge(slide: m.Slide, statuses: Mapping[int, StageStatus] | None) -> str:
    if statuses is None or not has_dockerfile(slide):
        return ""
    status = statuses.get(slide.index, StageStatus.NOT_VERIFIED)
    label, cls = status.value, status.badge
    return f'<div class="sk-badge sk-badge-{cls}"{attr("title", "Dockerfile: " + label)}>{esc(label)}</div>'


def _footer(deck: m.Deck, slide: m.Slide, today: _dt.date | None) -> str:
    author, date, paging = footer_parts(deck.meta, slide.number, len(deck.slides), today)
    return (f'<footer class="sk-footer"><span class="sk-author">{esc(author)}</span>'
            f'<span class="sk-date">{esc(date)}</span><span class="sk-paging">{esc(paging)}</span></footer>')


def render_slide(deck: m.Deck, slide: m.Slide, ctx: _Ctx) -> str:
    groups = steps_of(slide)
    body = "\n".join(
        f'<div class="sk-step"{attr("data-step", str(i))}>\n{_blocks(group, ctx)}\n</div>'
        for i, group in enumerate(groups)
    )
    label = f"Slide {slide.number}" + (f": {slide.title}" if slide.title else "")
    return (
        f'<section class="sk-slide" id="slide-{slide.number}"{attr("data-slide", str(slide.number))}'
        f'{attr("data-lines", f"{slide.span.first}-{slide.span.last}")}{attr("data-steps", str(len(groups)))}'
        f' aria-roledescription="slide"{attr("aria-label", label)}>\n'
        f'<div class="sk-body">\n{body}\n</div>\n'
        f"{_badge(slide, ctx.options.statuses)}{_footer(deck, slide, ctx.options.today)}\n</section>"
    )


def deck_title(deck: m.Deck, options: HtmlOptions) -> str:
    if options.title or deck.meta.title:
        return str(options.title or deck.meta.title)
    for slide in deck.slides:
        if slide.title:
            return slide.title
    return Path(deck.path).stem if deck.path != "-" else "slides"


def render_html(deck: m.Deck, theme: Theme, options: HtmlOptions = HtmlOptions(),
                resolve: ImageResolver = _no_images) -> HtmlResult:
    """The whole page for ``deck`` styled by ``theme``; warnings name ``path:line``."""
    ctx = _Ctx(deck.path, options, resolve)
    sections = "\n".join(render_slide(deck, slide, ctx) for slide in deck.slides)
    aspect = str(deck.meta.options.get("aspect", "16:9"))
    width, height = CANVAS.get(aspect, CANVAS["16:9"])
    if aspect not in CANVAS:
        ctx.warnings.append(f"{deck.path}: front matter `aspect` must be 16:9 or 4:3; using 16:9")
    digest = hashlib.sha256(deck.source.encode("utf-8")).hexdigest()[:16]
    data = {
        "id": digest,
        "title": deck_title(deck, options),
        "width": width,
        "height": height,
        "slides": [
            {"title": s.title, "steps": s.steps, "notes": "\n\n".join(n.text for n in s.notes),
             "lines": [s.span.first, s.span.last]}
            for s in deck.slides
        ],
    }
    script = asset("deck.js")
    css = asset("deck.css").replace("1280px", f"{width}px").replace("720px", f"{height}px")
    page = _PAGE.format(
        csp=esc(csp(script)),
        title=esc(str(data["title"])),
        css=css,
        theme_css=theme_css(theme),
        sections=sections,
        count=len(deck.slides),
        data=script_json(data),
        help=_HELP,
        script=script,
    )
    return HtmlResult(page, tuple(ctx.warnings), len(deck.slides))


_HELP = "".join(
    f"<tr><th>{keys}</th><td>{what}</td></tr>"
    for keys, what in (
        ("→ ↓ Space PageDown", "next step / slide"),
        ("← ↑ Shift+Space PageUp", "previous step / slide"),
        ("Home / End", "first / last slide"),
        ("digits then Enter", "go to slide N"),
        ("o / Esc", "overview"),
        ("s / p", "speaker window (notes, next slide, timer)"),
        ("f", "fullscreen"),
        ("b", "blank screen"),
        ("?", "this help"),
    )
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="slidekit">
<title>{title}</title>
<style>
{css}
{theme_css}
</style>
</head>
<body>
<div id="sk-stage" class="sk-stage">
<main id="sk-deck" class="sk-deck" data-count="{count}">
{sections}
</main>
</div>
<div id="sk-speaker" class="sk-speaker" hidden>
<header class="sk-speaker-bar"><span id="sk-timer" class="sk-timer" title="click to restart">00:00</span>
<span id="sk-clock" class="sk-clock"></span><span id="sk-position" class="sk-position"></span></header>
<div class="sk-pane sk-pane-current"><div class="sk-pane-label">Current</div><div id="sk-current" class="sk-frame"></div></div>
<div class="sk-pane sk-pane-next"><div class="sk-pane-label">Next</div><div id="sk-next" class="sk-frame"></div></div>
<div class="sk-pane sk-pane-notes"><div class="sk-pane-label">Notes</div><div id="sk-notes" class="sk-notes"></div></div>
</div>
<div id="sk-blank" class="sk-blank" hidden></div>
<div id="sk-help" class="sk-help" role="dialog" aria-label="Keyboard shortcuts" hidden>
<h2>Keyboard shortcuts</h2><table>{help}</table>
<p>Deep link: <code>#/N</code> opens slide N (counted from 1).</p></div>
<div id="sk-jump" class="sk-jump" hidden></div>
<div id="sk-live" class="sk-live" aria-live="polite"></div>
<script type="application/json" id="sk-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
