"""Untrusted deck content must never run script in the exported page."""

from __future__ import annotations

import re

import pytest

from slidekit.render.html_safe import filter_html, safe_url, script_json

XSS_DECK = """---
title: "</title><script>window.__xss='title'</script>"
author: "<img src=x onerror=\\"window.__xss='author'\\">"
---
# Heading <img src=x onerror="window.__xss='heading'">

<script>window.__xss = 'script-block'</script>

<svg onload="window.__xss='svg'"><circle r="4"/></svg>

<div style="background:url(javascript:window.__xss='style')" onmouseover="window.__xss='hover'">hover me</div>

<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>

<meta http-equiv="refresh" content="0;url=javascript:window.__xss='meta'">

<a href="javascript:window.__xss='raw-link'" id="rawlink">raw link</a>

<img src="x" onerror="window.__xss='img-onerror'">

<object data="javascript:window.__xss='object'"></object>

<base href="javascript:window.__xss='base'//">

<form action="javascript:window.__xss='form'"><button id="formbtn">go</button></form>

---

# Links

[js link](javascript:window.__xss='md-link') and [mixed case](JaVaScRiPt:window.__xss='case')
and [vb](vbscript:msgbox(1)) and [data html](data:text/html,<script>window.__xss='data'</script>)
and [entity](java&#x09;script:window.__xss='entity') and [tab](java	script:window.__xss='tab')

![img js](javascript:window.__xss='md-img') ![svg data](data:image/svg+xml,<svg onload="window.__xss='svgdata'"/>)

Inline <img src=x onerror="window.__xss='inline'"> and <span onclick="window.__xss='click'" id="clickme">click</span>

```html
</script><script>window.__xss='code'</script><!--
```

`</script><script>window.__xss='codespan'</script>`
<!-- speaker_note: </script><script>window.__xss='note'</script> \u2028 <!-- -->
"""


def _poke(page) -> None:  # type: ignore[no-untyped-def]
    """Click every link and button, hover everything, go through the slides."""
    page.evaluate("""() => {
        for (const el of document.querySelectorAll('a, button, span, div, img, svg')) {
            try { el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); } catch (e) {}
        }
        const here = location.href.split('#')[0];
        for (const a of document.querySelectorAll('a, button, #clickme')) {
            // relative links to other files are harmless navigation; everything else is clicked
            if (a.href && a.href.startsWith('file:') && a.href.split('#')[0] !== here) continue;
            try { a.click(); } catch (e) {}
        }
    }""")
    for _ in range(3):
        page.keyboard.press("ArrowRight")


@pytest.mark.chromium
@pytest.mark.parametrize("allow_html", [False, True], ids=["escaped", "allow-html"])
def test_xss_corpus_never_runs(export, open_page, allow_html: bool) -> None:  # type: ignore[no-untyped-def]
    path = export(XSS_DECK, allow_html=allow_html)
    page = open_page(path)
    url = page.url
    _poke(page)
    page.wait_for_timeout(300)
    assert page.url.split("#")[0] == url.split("#")[0]  # no navigation away
    assert page.evaluate("typeof window.__xss") == "undefined"
    # the speaker view (which shows the notes) is just as inert
    page2 = open_page(path, "")
    page2.goto(path.as_uri() + "?speaker#/2")
    page2.wait_for_function("window.slidekit !== undefined")
    assert "window.__xss='note'" in page2.locator("#sk-notes").inner_text()
    assert page2.evaluate("typeof window.__xss") == "undefined"
    assert [r for r in page.requests if not r.startswith("file://")] == []


@pytest.mark.chromium
def test_raw_html_is_shown_as_text_without_allow_html(export, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(XSS_DECK))
    text = page.locator("#slide-1").inner_text()
    assert "<script>window.__xss = 'script-block'</script>" in text
    assert '<svg onload="window.__xss=\'svg\'">' in text
    assert page.locator("#slide-1 svg, #slide-1 iframe, #slide-1 script, #slide-1 img").count() == 0
    assert page.title() == "</title><script>window.__xss='title'</script>"
    hrefs = page.evaluate("[...document.querySelectorAll('#slide-2 a')].map(a => a.getAttribute('href'))")
    assert hrefs and set(hrefs) == {"#"}


@pytest.mark.chromium
def test_allow_html_keeps_markup_but_drops_script(export, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(export(XSS_DECK, allow_html=True))
    assert page.locator("#slide-1 svg circle").count() == 1
    assert page.locator("#rawlink").get_attribute("href") == "#"
    assert page.locator("#slide-1 script, #slide-1 iframe, #slide-1 object, #slide-1 meta, #slide-1 base").count() == 0
    assert page.locator("#clickme").get_attribute("onclick") is None


def test_page_policy_allows_only_the_exporters_script(export) -> None:  # type: ignore[no-untyped-def]
    html = export(XSS_DECK).read_text()
    import base64
    import hashlib
    from html import unescape

    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in policy and "img-src data:;" in policy
    code = re.search(r"<script>(.*?)</script>\n</body>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in policy
    assert "unsafe-inline'; script" not in policy.replace("style-src 'unsafe-inline'", "")
    # exactly two <script> elements: the JSON data and the navigation code
    assert len(re.findall(r"<script\b", html)) == 2
    data = re.search(r'<script type="application/json" id="sk-data">(.*?)</script>', html, re.S).group(1)
    assert "</" not in data and "<!--" not in data and "\u2028" not in data


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:x", "\x01javascript:x", "vbscript:msgbox", "data:text/html,<b>", "livescript:x",
    "data:image/svg+xml,<svg/>", "file:///etc/passwd",
])
def test_unsafe_urls_neutralised(url: str) -> None:
    assert safe_url(url) == "#"
    assert safe_url(url, image=True) == "#"


@pytest.mark.parametrize("url", ["https://example.com/a?b=c", "mailto:a@b.c", "#/3", "other.html", "../x.png", "//host/x"])
def test_safe_urls_kept(url: str) -> None:
    assert safe_url(url) == url


def test_data_images_only_raster() -> None:
    assert safe_url("data:image/png;base64,iVBOR", image=True) == "data:image/png;base64,iVBOR"
    assert safe_url("data:image/png;base64,iVBOR") == "#"  # not as a link target


def test_script_json_round_trips() -> None:
    import json

    value = {"a": "</script><!-- \u2028\u2029 & <b>"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_filter_html_drops_handlers_and_dangerous_elements() -> None:
    out = filter_html('<p onclick="x()" class="k">hi <script>bad()</script><b style="x">b</b></p><iframe src="y"></iframe>')
    assert out == '<p class="k">hi <b>b</b></p>'
