"""Print an exported page to PDF with headless Chromium (driven by Playwright, the ``pdf`` extra)."""

from __future__ import annotations

from pathlib import Path

from slidekit.errors import SlidekitError
from slidekit.files import write_atomic

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def write_pdf(html_path: Path, pdf_path: Path) -> int:
    """Print ``html_path`` (an export) to ``pdf_path``, one slide per page; returns the PDF's size in bytes."""
    try:
        from playwright.sync_api import Error as PlaywrightError  # noqa: PLC0415 - the optional pdf extra
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - the optional pdf extra
    except ImportError:
        raise SlidekitError("--pdf needs Playwright: pip install 'slidekit[pdf]' "
                            "(and Chromium: apt-get install chromium)") from None
    if not Path(CHROMIUM).exists():
        raise SlidekitError(f"--pdf needs Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(html_path.resolve().as_uri())
                page.emulate_media(media="print")
                data = page.pdf(prefer_css_page_size=True, print_background=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise SlidekitError(f"--pdf: Chromium failed: {str(exc).splitlines()[0]}", str(pdf_path)) from None
    write_atomic(pdf_path, data)
    return len(data)
