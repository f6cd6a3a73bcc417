"""render_html as a pure function: structure, theme colours, escaping, images, steps."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from slidekit.deck import model as m
from slidekit.deck.load import load_deck
from slidekit.render.html import HtmlOptions, render_html
from slidekit.render.html_css import palette, theme_css
from slidekit.render.html_images import make_resolver
from slidekit.theme.colors import to_hex
from slidekit.theme.load import load_theme
from slidekit.verify.vocab import StageStatus

ROOT = Path(__file__).resolve().parents[2]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def theme(name: str = "solarized_dark"):  # type: ignore[no-untyped-def]
    return load_theme(name).theme


def render(text: str, path: str = "deck.md", **options: object) -> str:
    return render_html(load_deck(text, path), theme(), HtmlOptions(**options)).html  # type: ignore[arg-type]


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.sections.append(dict(attrs))


def test_one_section_per_slide_with_number_and_lines() -> None:
    deck = load_deck((ROOT / "slides" / "docker-multistage.md").read_text(), "slides/docker-multistage.md")
    html = render_html(deck, theme()).html
    parser = _Sections()
    parser.feed(html)
    assert [s["data-slide"] for s in parser.sections] == [str(n) for n in range(1, len(deck.slides) + 1)]
    assert [s["data-lines"] for s in parser.sections] == [f"{s.span.first}-{s.span.last}" for s in deck.slides]


@pytest.mark.parametrize("name", ["solarized_dark", "solarized_light"])
def test_theme_colours_reach_the_css(name: str) -> None:
    t = theme(name)
    css = theme_css(t)
    doc = t.get("document")
    assert f"--sk-bg: {to_hex(doc.background_color)}" in css
    assert f"--sk-fg: {to_hex(doc.color)}" in css
    h1 = t.get("h1")
    rule = re.search(r"\.sk-slide h1 \{([^}]*)\}", css).group(1)
    assert f"color: {to_hex(h1.color)}" in rule
    if h1.background_color:
        assert f"background-color: {to_hex(h1.background_color)}" in rule
    keyword = t.chroma["keyword"]
    assert re.search(rf"\.sk-code \.k \{{[^}}]*color: {to_hex(keyword.color)}", css, re.I)


def test_light_and_dark_pages_differ() -> None:
    dark, light = palette(theme("solarized_dark")), palette(theme("solarized_light"))
    assert dark.bg != light.bg and dark.fg != light.fg


def test_ansi_index_colours_become_hex() -> None:
    css = theme_css(load_theme("dark").theme)
    assert not re.search(r"color: \d", css)
    assert re.search(r"--sk-fg: #[0-9a-f]{6}", css)


def test_code_highlighted_and_escaped() -> None:
    html = render("# T\n\n```python\nif a < b and '</script>':\n    pass\n```\n")
    block = re.search(r'<pre class="sk-code" data-lang="python"[^>]*><code>(.*?)</code></pre>', html, re.S).group(1)
    assert '<span class="k">if</span>' in block
    assert "&lt;" in block and "</script>" not in block


def test_raw_html_escaped_unless_allowed() -> None:
    text = "# T\n\n<div class='x'>hi</div>\n\nsome <b>bold</b> text\n"
    escaped = render(text)
    assert "&lt;div class=&#x27;x&#x27;&gt;hi&lt;/div&gt;" in escaped and "<b>" not in escaped
    allowed = render(text, allow_html=True)
    assert "<div class=\"x\">hi</div>" in allowed and "<b>bold</b>" in allowed


def test_pauses_make_steps_and_notes_stay_out_of_slides() -> None:
    html = render("# T\n\none\n\n<!-- pause -->\n\ntwo\n<!-- speaker_note: secret words -->\n")
    assert 'data-steps="2"' in html
    section = re.search(r"<section.*?</section>", html, re.S).group(0)
    assert re.search(r'data-step="0">\s*<h1[^>]*>T</h1>\s*<p[^>]*>one</p>', section)
    assert re.search(r'data-step="1">\s*<p[^>]*>two</p>', section)
    assert "secret words" not in section
    assert "secret words" in re.search(r'id="sk-data">(.*?)</script>', html, re.S).group(1)


def test_command_output_verbatim_else_source_and_notice() -> None:
    text = "# T\n\n```\n~~~graph-easy --as=txt\n[ a ] -> [ b ]\n~~~\n```\n"
    deck = load_deck(text, "d.md")
    plain = render_html(deck, theme()).html
    assert "~~~graph-easy --as=txt" in plain
    block = next(b for b in deck.slides[0].blocks if isinstance(b, m.CommandBlock))
    boxes = "┌───┐\n│ a │\n└───┘\n"
    done = replace(block, output=boxes, notice=None)
    slide = replace(deck.slides[0], blocks=tuple(done if b is block else b for b in deck.slides[0].blocks))
    html = render_html(replace(deck, slides=(slide,)), theme()).html
    assert '<pre class="sk-cmd-output" data-command="graph-easy --as=txt"' in html
    assert ">┌───┐\n│ a │\n└───┘</pre>" in html
    noticed = replace(block, notice="not run: untrusted deck")
    slide = replace(deck.slides[0], blocks=(noticed,))
    html = render_html(replace(deck, slides=(slide,)), theme()).html
    assert 'class="sk-notice">not run: untrusted deck<' in html
    # a natively drawn diagram (--as=boxart) becomes inline SVG, its boxart the SVG's description
    native = replace(block, command="graph-easy --as=boxart", output=boxes, notice=None)
    slide = replace(deck.slides[0], blocks=(native,))
    html = render_html(replace(deck, slides=(slide,)), theme()).html
    assert '<figure class="sk-diagram" data-command="graph-easy --as=boxart"' in html
    assert "<desc>┌───┐\n│ a │\n└───┘\n</desc>" in html and 'data-node="a"' in html


def test_images_embedded_missing_warns_with_line(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(PNG)
    text = "# T\n\n![a pixel](pic.png)\n\n![gone](nope.png)\n\n![far](https://example.com/x.png)\n"
    deck = load_deck(text, str(tmp_path / "d.md"))
    result = render_html(deck, theme(), HtmlOptions(), make_resolver(tmp_path))
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in result.html
    assert any(w.startswith(f"{tmp_path / 'd.md'}:5: image not found: nope.png") and "gone" in w
               for w in result.warnings), result.warnings
    assert any(":7: remote image not embedded" in w for w in result.warnings)
    assert "[gone]" in result.html and "https://example.com/x.png" not in result.html.split('title="')[0]


def test_image_size_cap(tmp_path: Path) -> None:
    (tmp_path / "big.png").write_bytes(PNG + b"\0" * 4096)
    lookup = make_resolver(tmp_path, cap=1024)("big.png")
    assert lookup.uri is None and "over the 1 KiB limit" in (lookup.problem or "")


def test_badges_only_on_dockerfile_slides() -> None:
    text = "# A\n\n```dockerfile\nFROM x AS a\n```\n\n---\n\n# B\n\ntext\n\n---\n\n```dockerfile\nFROM a AS b\n```\n"
    html = render(text, statuses={0: StageStatus.BUILT})
    sections = re.findall(r"<section.*?</section>", html, re.S)
    assert 'sk-badge-ok' in sections[0] and ">built<" in sections[0]
    assert "sk-badge" not in sections[1]
    assert ">not verified<" in sections[2]
    assert "class=\"sk-badge" not in render(text)


def test_footer_parts_per_slide() -> None:
    html = render("---\nauthor: Me\ndate: x\npaging: '%d of %d'\n---\n# A\n\n---\n# B\n")
    assert '<span class="sk-paging">2 of 2</span>' in html
    assert '<span class="sk-author">Me</span>' in html


def test_title_from_front_matter_or_heading() -> None:
    assert "<title>First &amp; best</title>" in render("# First & best\n")
    assert "<title>Given</title>" in render("---\ntitle: Given\n---\n# Other\n")


def test_raw_html_images_embedded_or_dropped(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(PNG)
    text = '# T\n\n<img src="pic.png" alt="ok"> <img src="https://example.com/x.png" alt="far">\n'
    deck = load_deck(text, str(tmp_path / "d.md"))
    result = render_html(deck, theme(), HtmlOptions(allow_html=True), make_resolver(tmp_path))
    assert '<img src="data:image/png;base64,' in result.html
    assert '<img alt="far">' in result.html and "example.com" not in result.html
    assert any(":3: remote image not embedded" in w for w in result.warnings)
