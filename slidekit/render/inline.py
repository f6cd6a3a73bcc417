"""Inline Markdown (text, emphasis, code spans, links, images) → one styled rich Text.

One function per inline node type, chosen from a dispatch table. Every run
carries its full style (the enclosing block's inherited from), so the result
does not depend on what it is later appended to.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from slidekit.deck import model as m
from slidekit.render.style import decorate, leaf
from slidekit.theme.schema import Style, Theme

InlineRenderer = Callable[[m.Inline, Theme, Style], Text]


def render_inlines(nodes: tuple[m.Inline, ...], theme: Theme, parent: Style) -> Text:
    """``nodes`` as one Text (newlines only where the source had hard breaks)."""
    out = Text()
    for node in nodes:
        renderer = _INLINES.get(type(node))
        if renderer is not None:
            out.append_text(renderer(node, theme, parent))
    return out


def _child(theme: Theme, element: str, parent: Style) -> Style:
    return theme.get(element).inherit(parent)


def _text(node: m.Inline, theme: Theme, parent: Style) -> Text:
    assert isinstance(node, m.Text)
    style = _child(theme, "text", parent)
    return decorate(leaf(node.text, style), style)


def _nested(element: str) -> InlineRenderer:
    def render(node: m.Inline, theme: Theme, parent: Style) -> Text:
        assert isinstance(node, (m.Emph, m.Strong, m.Strike))
        style = _child(theme, element, parent)
        return decorate(render_inlines(node.children, theme, style), style)

    return render


def _code(node: m.Inline, theme: Theme, parent: Style) -> Text:
    assert isinstance(node, m.CodeSpan)
    style = _child(theme, "code", parent)
    return decorate(leaf(node.text, style), style)


def _link(node: m.Inline, theme: Theme, parent: Style) -> Text:
    """glamour style: the link text, then the URL (once, if they are the same)."""
    assert isinstance(node, m.Link)
    url_style = _child(theme, "link", parent)
    url = decorate(leaf(node.href, url_style), url_style)
    label = m.plain_text(node.children)
    if not label.strip() or label == node.href or not node.href:
        return url if node.href else render_inlines(node.children, theme, parent)
    text_style = _child(theme, "link_text", parent)
    out = decorate(render_inlines(node.children, theme, text_style), text_style)
    out.append(" ", style=leaf("", parent).style)
    out.append_text(url)
    return out


def _image(node: m.Inline, theme: Theme, parent: Style) -> Text:
    """Alt text (through ``image_text``'s format) then the image URL."""
    assert isinstance(node, m.Image)
    text_style = _child(theme, "image_text", parent)
    out = decorate(leaf(node.alt, text_style), text_style)
    if node.src:
        url_style = _child(theme, "image", parent)
        out.append(" ", style=leaf("", parent).style)
        out.append_text(decorate(leaf(node.src, url_style), url_style))
    return out


def _soft(node: m.Inline, theme: Theme, parent: Style) -> Text:
    return leaf(" ", _child(theme, "text", parent))


def _hard(node: m.Inline, theme: Theme, parent: Style) -> Text:
    return Text("\n")


def _html(node: m.Inline, theme: Theme, parent: Style) -> Text:
    assert isinstance(node, m.HtmlInline)
    style = _child(theme, "html_span", parent)
    return decorate(leaf(node.raw, style), style)


_INLINES: dict[type, InlineRenderer] = {
    m.Text: _text,
    m.Emph: _nested("emph"),
    m.Strong: _nested("strong"),
    m.Strike: _nested("strikethrough"),
    m.CodeSpan: _code,
    m.Link: _link,
    m.Image: _image,
    m.SoftBreak: _soft,
    m.HardBreak: _hard,
    m.HtmlInline: _html,
}
