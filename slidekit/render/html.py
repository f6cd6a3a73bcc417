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
from slidekit.deck.layout import Item, Region, slide_layout
from slidekit.deck.meta import footer_parts
from slidekit.highlight import is_dockerfile_lang
from slidekit.highlight.tokens import css_class, tokenize
from slidekit.render.html_css import declarations, theme_css
from slidekit.render.html_diagram import diagram_svg
from slidekit.render.html_images import ImageLookup, ImageResolver
from slidekit.render.html_safe import attr, esc, filter_html, safe_url, script_json
from slidekit.theme.colors import to_hex
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
    #: ``--duration`` in seconds: the speaker window counts down
    duration: float | None = None
    #: the themes slides name in ``<!-- theme: NAME -->``, loaded (a name missing here keeps the deck's theme)
    slide_themes: Mapping[str, Theme] = field(default_factory=dict)


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
    #: the reveal step of the block being rendered (stepping code blocks count from it)
    step: int = 0
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
    body = highlight(b.code, b.lang)
    extra = ""
    if b.highlight or b.line_numbers:
        body = _code_lines(b, body)
        if b.highlight:
            extra = attr("data-hl-base", str(ctx.step)) + attr("data-hl-groups", str(len(b.highlight)))
    code = f'<pre class="sk-code"{lang}{extra}{_lines(b.span)}><code>{body}</code></pre>'
    if ctx.options.console is None or not is_console(b):
        return code
    return code + _console_badge(b, ctx.options.console.get(b.span.first))


def _code_lines(b: m.CodeBlock, html: str) -> str:
    """Highlighted code cut into ``.sk-line`` spans (Pygments closes its spans at each line end): a line's
    ``data-hl`` lists the highlight groups that show it bright (the script dims the others at each step),
    ``+line_numbers`` puts an ``.sk-ln`` number before it."""
    rows = html.removesuffix("\n").split("\n")
    digits = len(str(len(rows)))
    out: list[str] = []
    for number, row in enumerate(rows, start=1):
        hl = ""
        if b.highlight:
            groups = [str(i) for i, lines in enumerate(b.highlight) if lines is None or number in lines]
            hl = attr("data-hl", " ".join(groups))
        ln = f'<span class="sk-ln">{number:>{digits}} </span>' if b.line_numbers else ""
        out.append(f'<span class="sk-line"{hl}>{ln}{row}</span>')
    return "\n".join(out)


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
    m.Directive: lambda b, c: "",
}


# --------------------------------------------------------------------------- slides


def _items(items: tuple[Item, ...], ctx: _Ctx) -> str:
    """Blocks in ``.sk-step`` groups (one per run of the same reveal step and alignment)."""
    out: list[str] = []
    run: list[str] = []
    key: tuple[int, str] | None = None

    def flush() -> None:
        if run and key is not None:
            align = f" sk-align-{key[1]}" if key[1] != "left" else ""
            out.append(f'<div class="sk-step{align}"{attr("data-step", str(key[0]))}>\n' + "\n".join(run) + "\n</div>")
        run.clear()

    for item in items:
        if (item.step, item.align) != key:
            flush()
            key = (item.step, item.align)
        ctx.step = item.step
        if item.block is None:
            run.append('<div class="sk-newline"></div>')
        else:
            ctx.line = item.block.span.first
            run.append(_BLOCK[type(item.block)](item.block, ctx))
    flush()
    return "\n".join(out)


def _region(region: Region, ctx: _Ctx) -> str:
    if not region.weights:
        middle = " sk-middle" if region.middle else ""
        return f'<div class="sk-region{middle}">\n{_items(region.cells[0], ctx)}\n</div>'
    columns = " ".join(f"{w}fr" for w in region.weights)
    cells = "\n".join(f'<div class="sk-col">\n{_items(cell, ctx)}\n</div>' for cell in region.cells)
    return f'<div class="sk-cols"{attr("style", f"grid-template-columns: {columns}")}>\n{cells}\n</div>'


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
    layout = slide_layout(slide)
    body = "\n".join(_region(region, ctx) for region in layout.regions)
    label = f"Slide {slide.number}" + (f": {slide.title}" if slide.title else "")
    kind = (attr("data-kind", "title") if layout.title else "") + (attr("data-footer", "none") if layout.no_footer else "")
    if layout.theme is not None and layout.theme in ctx.options.slide_themes:
        kind += attr("data-theme", str(sorted(ctx.options.slide_themes).index(layout.theme)))
    return (
        f'<section class="sk-slide"{kind} id="slide-{slide.number}"{attr("data-slide", str(slide.number))}'
        f'{attr("data-lines", f"{slide.span.first}-{slide.span.last}")}{attr("data-steps", str(slide.steps))}'
        f' aria-roledescription="slide"{attr("aria-label", label)}>\n'
        f'<div class="sk-body">\n{body}\n</div>\n'
        f"{_badge(slide, ctx.options.statuses)}{_footer(deck, slide, ctx.options.today)}\n</section>"
    )


def slide_theme_css(themes: Mapping[str, Theme]) -> str:
    """Each per-slide theme's stylesheet, scoped to the slides that name it (``data-theme`` = its index among
    the sorted names; its custom properties and element rules override the deck theme's there)."""
    out: list[str] = []
    for number, name in enumerate(sorted(themes)):
        scope = f'.sk-slide[data-theme="{number}"]'
        css = theme_css(themes[name]).replace(":root {", f"{scope} {{").replace(".sk-slide ", f"{scope} ")
        css = css.replace(".sk-code", f"{scope} .sk-code")
        out.append(css + f"\n{scope} {{ background: var(--sk-bg); color: var(--sk-fg); }}")
    return "\n" + "\n".join(out) if out else ""


def extension_css(theme: Theme) -> str:
    """slidekit's theme extensions as CSS variables: ``slidekit_columns.margin`` (the column gap, in
    terminal cells → ``ch``), ``slidekit_dimmed.color`` (dimmed code lines in that colour instead of faint), ``slidekit_timer*.color``/``background_color``.
    Absent keys leave the stylesheet's defaults."""
    rules: list[str] = []
    gap = theme.get("slidekit_columns").margin
    if gap is not None:
        rules.append(f"--sk-column-gap: {gap}ch")
    dimmed = to_hex(theme.get("slidekit_dimmed").color)
    for element, var in (("slidekit_timer", "--sk-timer"), ("slidekit_timer_warning", "--sk-timer-warning"),
                         ("slidekit_timer_over", "--sk-timer-over")):
        color, background = to_hex(theme.get(element).color), to_hex(theme.get(element).background_color)
        if color:
            rules.append(f"{var}: {color}")
        if background:
            rules.append(f"{var}-bg: {background}")
    css = "\n:root { " + "; ".join(rules) + "; }\n" if rules else ""
    title = declarations(theme.get("slidekit_title"))
    if title:
        heads = ", ".join(f'.sk-slide[data-kind="title"] h{n}' for n in range(1, 7))
        css += f"\n{heads} {{ {'; '.join(title)}; }}\n"
    if dimmed:
        css += f"\n.sk-code .sk-line.sk-dim, .sk-code .sk-line.sk-dim span {{ opacity: 1; color: {dimmed}; }}\n"
    return css


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
        "duration": options.duration,
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
        theme_css=theme_css(theme) + extension_css(theme) + slide_theme_css(options.slide_themes),
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
        ("p / r (speaker window)", "pause / reset the --duration countdown"),
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
<span id="sk-pace" class="sk-pace"></span><span id="sk-clock" class="sk-clock"></span><span id="sk-position" class="sk-position"></span></header>
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
