"""markdown-it-py tokens of one slide → typed blocks with source spans.

One converter per node type, chosen from a dispatch table, as rich's markdown
module does. Line numbers come from markdown-it's 0-based, half-open ``map``
shifted by where the slide starts in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments.lexers import find_lexer_class_by_name
from pygments.lexers._mapping import LEXERS
from pygments.util import ClassNotFound

from slidekit.deck import model as m
from slidekit.deck.info import parse_info
from slidekit.source import Span

_NOTE = re.compile(r"^\s*<!--\s*speaker_note\s*:(?P<body>.*?)-->\s*$", re.S)
_PAUSE = re.compile(r"^\s*<!--\s*pause\s*-->\s*$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$", re.S)
_WRAPPED_CMD = re.compile(r"^~~~(?P<cmd>[^\n`~][^\n]*)\n(?P<body>(?:.*\n)?)~~~\s*$", re.S)
_TASK = re.compile(r"^\[([ xX])\]\s")


def make_parser() -> MarkdownIt:
    """CommonMark plus GFM tables and strikethrough; raw HTML is kept as tokens."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


_PARSER = make_parser()


class Node:
    """One node of a slide's syntax tree: an unnested token, or an ``*_open`` …
    ``*_close`` pair with the nodes between as children (what markdown-it's
    ``SyntaxTreeNode`` gives, built in one pass without its per-node overhead).
    The fields come from the (opening) token."""

    __slots__ = ("type", "tag", "attrs", "map", "info", "markup", "content", "hidden", "children")

    def __init__(self, token: Token, type_: str, children: list[Node]) -> None:
        self.type = type_
        self.tag = token.tag
        self.attrs = token.attrs
        self.map = token.map
        self.info = token.info
        self.markup = token.markup
        self.content = token.content
        self.hidden = token.hidden
        self.children = children


def syntax_tree(tokens: list[Token]) -> list[Node]:
    """The top-level nodes of a markdown-it token stream (inline and image tokens
    get their ``children`` tokens as child nodes)."""
    top: list[Node] = []
    stack = [top]
    for token in tokens:
        nesting = token.nesting
        if nesting == 1:
            node = Node(token, token.type.removesuffix("_open"), [])
            stack[-1].append(node)
            stack.append(node.children)
        elif nesting == -1:
            if len(stack) == 1:
                raise ValueError("Invalid token nesting")
            stack.pop()
        else:
            stack[-1].append(Node(token, token.type, syntax_tree(token.children) if token.children else []))
    if len(stack) != 1:
        raise ValueError("unclosed tokens")
    return top


class _Ctx:
    """Per-slide conversion state: the line offset, the slide's lines and the
    notes found so far."""

    def __init__(self, first_line: int, lines: list[str]) -> None:
        self.offset = first_line - 1
        self.lines = lines
        self.notes: list[m.Note] = []

    def span(self, node: Node) -> Span:
        start, end = node.map if node.map else (0, 1)
        end = max(end, start + 1)
        # markdown-it counts the blank lines after a list (item) as part of it
        while end > start + 1 and not self.lines[end - 1].strip():
            end -= 1
        return Span(self.offset + start + 1, self.offset + end)


def build_blocks(text: str, first_line: int) -> tuple[tuple[m.Block, ...], tuple[m.Note, ...]]:
    """Parse one slide's text (which starts at ``first_line`` in the file)."""
    ctx = _Ctx(first_line, text.split("\n"))
    blocks = _blocks(syntax_tree(_PARSER.parse(text)), ctx)
    return blocks, tuple(ctx.notes)


def _blocks(nodes: list[Node], ctx: _Ctx) -> tuple[m.Block, ...]:
    out: list[m.Block] = []
    for node in nodes:
        converter = _BLOCKS.get(node.type)
        if converter is None:
            continue
        block = converter(node, ctx)
        if block is not None:
            out.append(block)
    return tuple(out)


def _heading(node: Node, ctx: _Ctx) -> m.Block:
    return m.Heading(int(node.tag[1]), _inline_of(node), ctx.span(node))


def _paragraph(node: Node, ctx: _Ctx) -> m.Block | None:
    _inline_notes(node, ctx)
    inlines = _inline_of(node)
    if not inlines:
        return None
    return m.Paragraph(inlines, ctx.span(node))


def _list(node: Node, ctx: _Ctx) -> m.Block:
    items = []
    tight = True
    for item in node.children:
        blocks = _blocks(item.children, ctx)
        checked, blocks = _task_marker(blocks)
        items.append(m.ListItem(blocks, ctx.span(item), checked))
        tight = tight and all(c.hidden for c in item.children if c.type == "paragraph")
    start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
    return m.ListBlock(node.type == "ordered_list", tuple(items), ctx.span(node), start, tight)


def _task_marker(blocks: tuple[m.Block, ...]) -> tuple[bool | None, tuple[m.Block, ...]]:
    """``- [x] done`` → (True, blocks without the marker)."""
    if not blocks or not isinstance(blocks[0], m.Paragraph):
        return None, blocks
    first = blocks[0]
    if not first.inlines or not isinstance(first.inlines[0], m.Text):
        return None, blocks
    match = _TASK.match(first.inlines[0].text)
    if match is None:
        return None, blocks
    rest = first.inlines[0].text[match.end():]
    inlines = ((m.Text(rest),) if rest else ()) + first.inlines[1:]
    para = m.Paragraph(inlines, first.span)
    return match.group(1) != " ", (para,) + blocks[1:]


def _blockquote(node: Node, ctx: _Ctx) -> m.Block:
    return m.BlockQuote(_blocks(node.children, ctx), ctx.span(node))


def _fence(node: Node, ctx: _Ctx) -> m.Block:
    span = ctx.span(node)
    info = node.info.strip()
    markup = node.markup or "```"
    code = node.content
    if markup.startswith("~") and _is_command_info(info):
        return m.CommandBlock(info, code, span, span.first + 1)
    wrapped = _WRAPPED_CMD.match(code) if markup.startswith("`") else None
    if wrapped:
        return m.CommandBlock(wrapped.group("cmd").strip(), wrapped.group("body"), span, span.first + 2, wrapped=True)
    parsed = parse_info(info)
    return m.CodeBlock(parsed.lang, code, span, span.first + 1, info, parsed.attrs, parsed.flags, markup)


def _is_command_info(info: str) -> bool:
    """A ``~~~`` fence is a command unless it is just a language name (``~~~python``)."""
    if not info:
        return False
    if " " in info:
        return True
    name = info.lower()
    if name in _lexer_aliases():
        return False
    # not a built-in lexer name: let Pygments look further (plugins) as it would

    try:
        find_lexer_class_by_name(name)
    except ClassNotFound:
        return True
    return False


@lru_cache(maxsize=1)
def _lexer_aliases() -> frozenset[str]:
    """Every built-in Pygments lexer alias (Pygments is imported only for ``~~~``
    fences, and no lexer module is loaded just to classify one)."""

    return frozenset(alias for entry in LEXERS.values() for alias in entry[2])


def _code_block(node: Node, ctx: _Ctx) -> m.Block:
    span = ctx.span(node)
    return m.CodeBlock("", node.content, span, span.first)


def _html_block(node: Node, ctx: _Ctx) -> m.Block | None:
    raw = node.content
    span = ctx.span(node)
    if _PAUSE.match(raw):
        return m.Pause(span)
    note = _NOTE.match(raw)
    if note:
        ctx.notes.append(m.Note(_note_text(note.group("body")), span))
        return None
    if _COMMENT.match(raw):
        return None
    return m.HtmlBlock(raw, span)


def _inline_notes(node: Node, ctx: _Ctx) -> None:
    """A ``<!-- speaker_note: ... -->`` written inside a paragraph is a note too
    (the comment itself is never shown)."""
    for child in node.children:
        for item in child.children if child.type == "inline" else ():
            note = _NOTE.match(item.content) if item.type == "html_inline" else None
            if note:
                ctx.notes.append(m.Note(_note_text(note.group("body")), ctx.span(node)))


def _note_text(body: str) -> str:
    body = body.strip("\n")
    first, _, rest = body.partition("\n")
    if first.strip() in ("|", ">", "|-", ">-"):
        first = ""
    # the first line starts right after `speaker_note:`; the others share an indent
    lines = rest.splitlines()
    indents = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
    cut = min(indents) if indents else 0
    return "\n".join([first.strip()] + [x[cut:] for x in lines]).strip()


def _hr(node: Node, ctx: _Ctx) -> m.Block:
    return m.ThematicBreak(ctx.span(node))


def _table(node: Node, ctx: _Ctx) -> m.Block:
    header: tuple[tuple[m.Inline, ...], ...] = ()
    aligns: tuple[str, ...] = ()
    rows: list[tuple[tuple[m.Inline, ...], ...]] = []
    for section in node.children:
        for row in section.children:
            cells = tuple(_inline_of(cell) for cell in row.children)
            if section.type == "thead":
                header = cells
                aligns = tuple(_align(cell) for cell in row.children)
            else:
                rows.append(cells)
    return m.Table(header, tuple(rows), aligns, ctx.span(node))


def _align(cell: Node) -> str:
    style = str(cell.attrs.get("style", ""))
    return style.partition("text-align:")[2].strip()


_BLOCKS: dict[str, Callable[[Node, _Ctx], m.Block | None]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _blockquote,
    "fence": _fence,
    "code_block": _code_block,
    "html_block": _html_block,
    "hr": _hr,
    "table": _table,
}

# --------------------------------------------------------------------------- inline


def _inline_of(node: Node) -> tuple[m.Inline, ...]:
    for child in node.children:
        if child.type == "inline":
            return _inlines(child.children)
    return ()


#: emphasis/links nested deeper than this become plain text (no recursion on `*a *a *a …`)
MAX_INLINE_DEPTH = 32


def _inlines(nodes: list[Node], depth: int = 0) -> tuple[m.Inline, ...]:
    if depth >= MAX_INLINE_DEPTH:
        return (m.Text(_plain(nodes)),)
    out: list[m.Inline] = []
    for node in nodes:
        converter = _INLINES.get(node.type)
        if converter is not None:
            item = converter(node, depth + 1)
            if item is not None:
                out.append(item)
    return tuple(_merge_text(out))


def _plain(nodes: list[Node]) -> str:
    """The text under ``nodes``, gathered without recursion."""
    parts: list[str] = []
    todo = list(reversed(nodes))
    while todo:
        node = todo.pop()
        if node.type in ("text", "code_inline"):
            parts.append(node.content)
        elif node.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        todo.extend(reversed(node.children))
    return "".join(parts)


def _merge_text(items: list[m.Inline]) -> list[m.Inline]:
    merged: list[m.Inline] = []
    for item in items:
        if isinstance(item, m.Text) and merged and isinstance(merged[-1], m.Text):
            merged[-1] = m.Text(merged[-1].text + item.text)
        else:
            merged.append(item)
    return merged


def _html_inline(node: Node, _depth: int = 0) -> m.Inline | None:
    return None if node.content.startswith("<!--") else m.HtmlInline(node.content)


def _image(node: Node, _depth: int = 0) -> m.Inline:
    alt = "".join(c.content for c in node.children) if node.children else node.content
    return m.Image(str(node.attrs.get("src", "")), alt, str(node.attrs.get("title", "") or ""))


_INLINES: dict[str, Callable[[Node, int], m.Inline | None]] = {
    "text": lambda n, _d: m.Text(n.content),
    "code_inline": lambda n, _d: m.CodeSpan(n.content),
    "em": lambda n, d: m.Emph(_inlines(n.children, d)),
    "strong": lambda n, d: m.Strong(_inlines(n.children, d)),
    "s": lambda n, d: m.Strike(_inlines(n.children, d)),
    "link": lambda n, d: m.Link(str(n.attrs.get("href", "")), _inlines(n.children, d),
                                str(n.attrs.get("title", "") or "")),
    "image": _image,
    "softbreak": lambda n, _d: m.SoftBreak(),
    "hardbreak": lambda n, _d: m.HardBreak(),
    "html_inline": _html_inline,
}
