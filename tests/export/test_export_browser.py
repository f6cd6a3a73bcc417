"""The exported deck in real headless Chromium: keys, links, overview, speaker view, print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.chromium

DECK = """---
author: Ada
date: "2024-01-02"
---
# One

first
<!-- speaker_note: notes for one -->

---

# Two

step zero

<!-- pause -->

step one

<!-- pause -->

step two

---

# Three

---

# Four

---

# Five
"""


def state(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    s = page.evaluate("window.slidekit.state()")
    return s["slide"], s["step"]


def visible_steps(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """[...document.querySelectorAll('section.sk-current .sk-step')]
           .filter(e => getComputedStyle(e).visibility === 'visible').map(e => e.dataset.step)"""
    )


def test_keyboard_navigation_and_steps(export, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(DECK))
    assert state(page) == (1, 0)
    page.keyboard.press("ArrowRight")
    assert state(page) == (2, 0)
    assert visible_steps(page) == ["0"]
    page.keyboard.press("Space")
    assert state(page) == (2, 1) and visible_steps(page) == ["0", "1"]
    page.keyboard.press("PageDown")
    assert state(page) == (2, 2) and visible_steps(page) == ["0", "1", "2"]
    page.keyboard.press("ArrowDown")
    assert state(page) == (3, 0)
    page.keyboard.press("ArrowLeft")  # back into a stepped slide: all its steps shown
    assert state(page) == (2, 2)
    page.keyboard.press("Shift+Space")
    assert state(page) == (2, 1)
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowUp")
    assert state(page) == (1, 0)
    page.keyboard.press("ArrowLeft")  # at the start: stays
    assert state(page) == (1, 0)
    page.keyboard.press("End")
    assert state(page) == (5, 0)
    page.keyboard.press("ArrowRight")  # at the end: stays
    assert state(page) == (5, 0)
    page.keyboard.press("Home")
    assert state(page) == (1, 0)
    page.keyboard.type("4")
    assert page.locator("#sk-jump").inner_text() == "4"
    page.keyboard.press("Enter")
    assert state(page) == (4, 0)
    for combo in ("Control+ArrowRight", "Alt+ArrowRight", "Meta+ArrowRight"):
        page.keyboard.press(combo)
        assert state(page) == (4, 0), combo
    # the visible slide is the current one, others are not displayed
    shown = page.evaluate("[...document.querySelectorAll('section.sk-slide')].filter(s => s.offsetParent !== null).map(s => s.dataset.slide)")
    assert shown == ["4"]
    assert page.errors == []


def test_keys_ignored_inside_inputs(export, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(DECK))
    page.evaluate("""() => { const i = document.createElement('input'); i.id = 'probe';
                      document.body.appendChild(i); i.focus(); }""")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    assert state(page) == (1, 0)


def test_overlays_blank_help_overview(export, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(DECK))
    page.keyboard.press("b")
    assert page.locator("#sk-blank").is_visible()
    page.keyboard.press("b")
    assert not page.locator("#sk-blank").is_visible()
    page.keyboard.press("?")
    assert page.locator("#sk-help").is_visible()
    assert "#/N" in page.locator("#sk-help").inner_text()
    page.keyboard.press("Escape")
    assert not page.locator("#sk-help").is_visible()
    # overview: every slide visible as a thumbnail; clicking one goes there
    page.keyboard.press("o")
    assert page.evaluate("document.body.classList.contains('sk-overview')")
    visible = page.evaluate("[...document.querySelectorAll('section.sk-slide')].filter(s => s.getBoundingClientRect().width > 0).length")
    assert visible == 5
    boxes = [page.locator(f"#slide-{n}").bounding_box() for n in (1, 2)]
    assert boxes[0]["width"] < 400 and boxes[0]["x"] != boxes[1]["x"]
    page.locator("#slide-3").click()
    assert not page.evaluate("document.body.classList.contains('sk-overview')")
    assert state(page) == (3, 0)
    page.keyboard.press("Escape")
    assert page.evaluate("document.body.classList.contains('sk-overview')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.body.classList.contains('sk-overview')")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")
    assert page.errors == []


def test_deep_links_and_history(export, open_page) -> None:  # type: ignore[no-untyped-def]
    path = export(DECK)
    page = open_page(path, "#/3")
    assert state(page) == (3, 0)
    length = page.evaluate("history.length")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("location.hash") == "#/5"
    assert page.evaluate("history.length") == length  # replaceState: no history flooding
    page.evaluate("location.hash = '#/2'")
    page.wait_for_function("window.slidekit.state().slide === 2")
    # out-of-range links clamp instead of breaking
    page2 = open_page(path, "#/99")
    assert state(page2) == (5, 0)


def test_scaled_canvas(export, context) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.set_viewport_size({"width": 640, "height": 600})
    page.goto(export(DECK).as_uri())
    box = page.locator("#slide-1").bounding_box()
    assert box is not None
    assert abs(box["width"] - 640) < 1 and abs(box["height"] - 360) < 1
    assert abs(box["y"] - 120) < 1  # centred vertically


def test_footer_matches_terminal(export, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(DECK), "#/2")
    footer = page.locator("#slide-2 .sk-footer")
    assert footer.locator(".sk-author").inner_text() == "Ada"
    assert footer.locator(".sk-date").inner_text() == "2024-01-02"
    assert footer.locator(".sk-paging").inner_text() == "Slide 2 / 5"


def test_speaker_window_follows_main_window(export, context, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(DECK))
    with context.expect_page() as popup_info:
        page.keyboard.press("s")
    speaker = popup_info.value
    speaker.wait_for_function("window.slidekit !== undefined")
    assert "speaker" in speaker.url
    assert speaker.locator("#sk-speaker").is_visible()
    assert speaker.locator("#sk-notes").inner_text() == "notes for one"
    # notes are nowhere in the audience's slides
    assert "notes for one" not in page.locator("#sk-deck").inner_text()
    page.keyboard.press("ArrowRight")
    speaker.wait_for_function("window.slidekit.state().slide === 2")
    assert "Two" in speaker.locator("#sk-current").inner_text()
    assert speaker.locator("#sk-notes").inner_text() == "(no notes)"
    page.keyboard.press("ArrowRight")
    speaker.wait_for_function("window.slidekit.state().step === 1")
    # the "next" pane previews the next step of the same slide
    assert "step two" in speaker.locator("#sk-next").inner_text()
    assert speaker.locator("#sk-timer").inner_text().count(":") == 1
    # and the other way round: navigating in the speaker window moves the audience
    speaker.keyboard.press("End")
    page.wait_for_function("window.slidekit.state().slide === 5")
    # the speaker window redraws its panes on its next frame: wait for it rather than race it
    speaker.wait_for_function("document.querySelector('#sk-next').innerText.trim() === 'End of deck'", timeout=5000)
    assert speaker.locator("#sk-next").inner_text().strip() == "End of deck"


def test_print_pdf_one_page_per_slide(export, open_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(DECK))
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == 5
    width, height = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf).groups()
    assert abs(float(width) / float(height) - 16 / 9) < 0.01
    # print media: every step shown, no chrome
    page.emulate_media(media="print")
    assert page.evaluate("[...document.querySelectorAll('.sk-step')].every(e => getComputedStyle(e).visibility === 'visible')")
    assert not page.locator("#sk-speaker").is_visible()


def test_example_deck_offline_and_clean(open_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from slidekit.cli import main

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "example.html"
    assert main(["export", str(root / "slides" / "docker-multistage.md"), "-o", str(out)]) == 0
    page = open_page(out)
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("o")
    page.keyboard.press("Escape")
    assert page.requests == [out.as_uri()]
    assert page.errors == []
    html = out.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html


def test_touch_swipe(export, browser) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 800, "height": 450}, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(export(DECK).as_uri() + "#/3")
        swipe = """([x0, x1]) => {
            const mk = (x) => new Touch({identifier: 1, target: document.body, clientX: x, clientY: 200});
            document.dispatchEvent(new TouchEvent('touchstart', {touches: [mk(x0)], changedTouches: [mk(x0)], bubbles: true}));
            document.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [mk(x1)], bubbles: true}));
        }"""
        page.evaluate(swipe, [600, 200])  # swipe left: next
        assert state(page) == (4, 0)
        page.evaluate(swipe, [200, 600])  # swipe right: previous
        page.evaluate(swipe, [200, 600])
        assert state(page) == (2, 2)
        page.evaluate(swipe, [300, 310])  # a tap is not a swipe
        assert state(page) == (2, 2)
    finally:
        ctx.close()


def test_no_network_even_with_remote_references(export, context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "dot.gif").write_bytes(
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
        b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    text = ("# Net\n\n![local](dot.gif) ![remote](https://example.com/r.png)\n\n"
            '<img src="https://example.com/raw.png"><link rel="stylesheet" href="https://example.com/s.css">\n\n'
            '<video src="https://example.com/v.mp4" autoplay></video>\n')
    path = export(text, allow_html=True)
    own = path.as_uri()
    blocked: list[str] = []

    def guard(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.split("#")[0] == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    seen: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: seen.append(r.url))
    page.goto(own)
    page.wait_for_function("window.slidekit !== undefined")
    page.wait_for_timeout(300)
    assert blocked == []
    assert [u for u in seen if not u.startswith("data:")] == [own]
    assert page.evaluate("document.querySelector('img[alt=local]').naturalWidth") == 1


TALL = "# Tall\n\n" + "".join(f"- item {n}\n" for n in range(1, 61)) + """
---

## Wide code

```dockerfile
CMD ["--access-logfile", "-", "--error-logfile", "-", "--bind", "0.0.0.0:80", "config.asgi:application", "--workers", "4"]
```

---

## Wide diagram

~~~graph-easy
[ a ]
~~~
"""

INSIDE = """(n) => {
  const slide = document.querySelector('#slide-' + n).getBoundingClientRect();
  const footer = document.querySelector('#slide-' + n + ' .sk-footer').getBoundingClientRect();
  return [...document.querySelectorAll('#slide-' + n + ' .sk-body li, #slide-' + n + ' .sk-body pre, '
                                       + '#slide-' + n + ' .sk-body h1, #slide-' + n + ' .sk-body h2')]
    .map(e => e.getBoundingClientRect())
    .filter(r => r.bottom > footer.top + 0.5 || r.right > slide.right + 0.5 || r.left < slide.left - 0.5)
    .length;
}"""


def _wide_output(deck):  # type: ignore[no-untyped-def]
    """Give the ~~~ block a pre-processed output wider than the canvas (a diagram)."""
    from dataclasses import replace

    from slidekit.deck.model import CommandBlock

    wide = "┌" + "─" * 150 + "┐\n│ wide box" + " " * 141 + "│\n└" + "─" * 150 + "┘\n"
    slides = list(deck.slides)
    last = slides[-1]
    blocks = tuple(replace(b, output=wide) if isinstance(b, CommandBlock) else b for b in last.blocks)
    slides[-1] = replace(last, blocks=blocks)
    return replace(deck, slides=tuple(slides))


def test_overflowing_slides_shrink_to_fit_and_nothing_is_cut(export, open_page) -> None:  # type: ignore[no-untyped-def]
    """A tall list, a long code line and a diagram wider than the canvas are all
    shown whole, above the footer (terminal: folded code lines; HTML: the slide shrinks)."""
    page = open_page(export(TALL, transform=_wide_output))
    for n in (1, 2, 3):
        page.evaluate(f"window.slidekit.go({n})")
        assert page.evaluate(INSIDE, n) == 0, f"slide {n} has content outside the canvas or over the footer"
    # the last list item is really on screen, the long line folded (not clipped)
    page.evaluate("window.slidekit.go(1)")
    assert page.locator("#slide-1 li", has_text="item 60").is_visible()
    assert page.evaluate("(() => { const p = document.querySelector('#slide-2 pre');"
                         " return p.scrollWidth <= p.clientWidth; })()")
    assert "config.asgi:application" in page.locator("#slide-2 pre").inner_text()
    # and the same in print, where each slide is a page
    page.emulate_media(media="print")
    for n in (1, 3):
        assert page.evaluate(INSIDE, n) == 0


def test_speaker_view_shows_overflowing_slides_fitted_too(export, context) -> None:  # type: ignore[no-untyped-def]
    """The speaker window hides the audience stage, so it fits the copies it shows."""
    path = export(TALL)
    page = context.new_page()
    page.goto(path.as_uri() + "?speaker#/1")
    page.wait_for_function("window.slidekit !== undefined")
    frame = page.locator("#sk-current").bounding_box()
    last = page.locator("#sk-current li", has_text="item 60").bounding_box()
    assert frame is not None and last is not None
    assert frame["y"] <= last["y"] and last["y"] + last["height"] <= frame["y"] + frame["height"] + 0.5
