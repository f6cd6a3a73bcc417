"""S6: the --allow-html filter stops SVG animation, fetched SVG hrefs and pings on its
own (not only because of the page's Content-Security-Policy)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slidekit.render.html_safe import filter_html

PAYLOADS = [
    '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="20">click</text></a></svg>',
    '<svg><a><animate attributeName=href values=javascript:alert(1)><text>click</text></a></svg>',
    '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
    '<svg><animateMotion><mpath href="http://evil.example/p"/></animateMotion></svg>',
    '<svg><image href="http://evil.example/track.png"/></svg>',
    '<svg><image xlink:href="https://evil.example/track.png"></image></svg>',
    '<svg><use href="http://evil.example/sprite.svg#a"/></svg>',
    '<svg><filter><feImage href="http://evil.example/x"/></filter></svg>',
    '<a href="https://ok.example/" ping="http://evil.example/ping">link</a>',
]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def _parsed(html: str) -> _Collect:
    collector = _Collect()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("payload", PAYLOADS)
def test_s6_payloads_are_neutralised(payload: str) -> None:
    out = _parsed(filter_html(payload))
    assert not {"animate", "set", "animatemotion", "animatetransform"} & set(out.tags)
    for name, value in out.attrs:
        assert name not in ("ping", "values", "to", "from", "by", "attributename"), (name, value)
        assert "evil.example" not in value and "javascript:" not in value.lower(), (name, value)


def test_s6_harmless_svg_survives() -> None:
    out = filter_html('<svg><defs><circle id="c" r="4"/></defs><use href="#c"/>'
                      '<a href="https://ok.example/"><text>t</text></a></svg>')
    assert '<use href="#c">' in out and 'href="https://ok.example/"' in out and "<text>t</text>" in out


def test_s6_fetched_svg_image_is_embedded_through_the_resolver() -> None:
    out = filter_html('<svg><image href="pic.png"/></svg>', lambda src: "data:image/png;base64,AAAA")
    assert 'href="data:image/png;base64,AAAA"' in out


@given(st.lists(st.sampled_from(["<svg>", "<a>", "<animate attributeName=href values=javascript:x>",
                                 "<set to=javascript:x>", "<image href=http://e/x>", "<use href=//e/x>",
                                 "<a ping=http://e>", "</a>", "</svg>", "text", "<text>", "</text>"]),
                max_size=12))
def test_s6_fuzz_no_fetch_and_no_script_url(parts: list[str]) -> None:
    out = filter_html("".join(parts))
    assert not re.search(r"javascript:|http://e|//e/|\bping=|<animate|<set", out, re.I)
