"""`slidekit export` end to end: files written, warnings, PDF, watch, verification badges."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slidekit.cli import main

DECK = "---\nauthor: T\n---\n# One\n\n![missing pic](nope.png)\n\n---\n\n# Two\n\n---\n\n# Three\n"


def test_export_writes_file_and_warns_with_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(DECK)
    assert main(["export", str(deck)]) == 0
    out, err = capsys.readouterr()
    html = (tmp_path / "talk.html").read_text()
    assert html.count('<section class="sk-slide"') == 3
    assert re.match(rf"exported {re.escape(str(tmp_path / 'talk.html'))} \(3 slides, \d+ KiB\) in [\d.]+s\n$", out)
    assert f"warning: {deck}:6: image not found: nope.png (alt: 'missing pic')" in err
    assert deck.read_text() == DECK  # the deck is never modified


def test_export_missing_deck_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "none.md"), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {tmp_path / 'none.md'}: no such file\n"
    assert not (tmp_path / "x.html").exists()


def test_export_theme_option(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(DECK)
    assert main(["export", str(deck), "-o", str(tmp_path / "a.html"), "--theme", "solarized_light"]) == 0
    assert main(["export", str(deck), "-o", str(tmp_path / "b.html"), "--theme", "solarized_dark"]) == 0
    assert "--sk-bg: #fdf6e3" in (tmp_path / "a.html").read_text()
    assert "--sk-bg: #002b36" in (tmp_path / "b.html").read_text()


@pytest.mark.chromium
def test_export_pdf_has_one_page_per_slide(tmp_path: Path, chromium_path: str) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(DECK.replace("# Two\n", "# Two\n\na\n\n<!-- pause -->\n\nb\n"))
    # a separate process: the session's Playwright (other tests) cannot share this one's loop
    done = subprocess.run([sys.executable, "-m", "slidekit", "export", str(deck), "-o", str(tmp_path / "talk.html"),
                           "--pdf"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"exported {tmp_path / 'talk.pdf'}"
    pdf = (tmp_path / "talk.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 3


def test_watch_reexports_on_save_and_exits_on_ctrl_c(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(DECK)
    out = tmp_path / "talk.html"
    proc = subprocess.Popen(
        [sys.executable, "-m", "slidekit", "export", str(deck), "-o", str(out), "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert lines[0].startswith("exported") and lines[1].startswith("watching")
        time.sleep(0.5)
        deck.write_text(DECK + "\n---\n\n# Four added\n")
        line = proc.stdout.readline()
        assert line.startswith("exported") and "(4 slides" in line
        assert "Four added" in out.read_text()
        assert not list(tmp_path.glob(".*.tmp"))
        # a broken save reports one error line and keeps watching; the old export stays
        deck.write_text("---\nauthor: [unclosed\n---\n# Broken\n")
        assert proc.stderr is not None
        err_line = proc.stderr.readline()
        while not err_line.startswith("error:"):
            err_line = proc.stderr.readline()
        assert err_line.startswith(f"error: {deck}:") and "front matter" in err_line
        assert "Four added" in out.read_text()
        deck.write_text(DECK)
        line = proc.stdout.readline()
        assert line.startswith("exported") and "(3 slides" in line
    finally:
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert rest.strip().endswith("stopped watching")
    assert "Traceback" not in err


@pytest.mark.docker
def test_verify_badges_fresh_and_cached(tmp_path: Path, busybox_image: str, docker_client,  # type: ignore[no-untyped-def]
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # the deck's folder is the build context: outputs go elsewhere so the cached result stays valid
    (tmp_path / "deck").mkdir()
    deck = tmp_path / "deck" / "talk.md"
    deck.write_text(
        f"# Base\n\n```dockerfile\nFROM {busybox_image} AS base\nRUN echo ok > /ok\n```\n\n---\n\n"
        "# Broken\n\n```dockerfile\nFROM base AS broken\nRUN exit 3\n```\n\n---\n\n# Prose\n\nno code\n"
    )
    before = {t for i in docker_client.images.list() for t in i.tags}
    try:
        assert main(["export", str(deck), "-o", str(tmp_path / "v.html"), "--verify"]) == 0
        fresh = (tmp_path / "v.html").read_text()
        assert main(["export", str(deck), "-o", str(tmp_path / "c.html")]) == 0
        cached = (tmp_path / "c.html").read_text()
    finally:
        for tag in {t for i in docker_client.images.list() for t in i.tags} - before:
            docker_client.images.remove(tag, force=True)
    for html in (fresh, cached):
        sections = re.findall(r"<section.*?</section>", html, re.S)
        # "cached": every step from the engine's layer cache (an earlier run): built all the same
        assert 'class="sk-badge sk-badge-ok"' in sections[0] and re.search(">(built|cached)<", sections[0])
        assert 'class="sk-badge sk-badge-fail"' in sections[1] and ">failed<" in sections[1]
        assert 'class="sk-badge' not in sections[2]


def test_no_badges_without_any_verification(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    deck = tmp_path / "talk.md"
    deck.write_text("# Base\n\n```dockerfile\nFROM scratch AS base\n```\n")
    assert main(["export", str(deck), "-o", str(tmp_path / "n.html")]) == 0
    assert 'class="sk-badge' not in (tmp_path / "n.html").read_text()


@pytest.mark.chromium
def test_box_drawing_lines_have_equal_pixel_width(export, open_page) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from slidekit.deck import model as m

    art = ("┌──────┐     ╔════╗\n"
           "│ base │ ──> ║ A1 ║\n"
           "└──┬───┘     ╚════╝\n"
           "   │  ┌─┼─┐  :  ·  \n"
           "   └─>│ü│é│..v.... \n"
           "      └─┴─┘  ▲ ► ◄ \n")

    def with_output(deck):  # type: ignore[no-untyped-def]
        def fix(block):  # type: ignore[no-untyped-def]
            return replace(block, output=art) if isinstance(block, m.CommandBlock) else block
        slides = tuple(replace(s, blocks=tuple(fix(b) for b in s.blocks)) for s in deck.slides)
        return replace(deck, slides=slides)

    path = export("# Art\n\n```\n~~~graph-easy --as=txt\n[ a ]\n~~~\n```\n", transform=with_output)
    page = open_page(path)
    widths = page.evaluate("""() => {
        const pre = document.querySelector('pre.sk-cmd-output');
        const node = pre.firstChild, text = node.textContent, out = [];
        let start = 0;
        for (const line of text.split('\\n')) {
            const r = document.createRange();
            r.setStart(node, start); r.setEnd(node, start + line.length);
            out.push(r.getBoundingClientRect().width);
            start += line.length + 1;
        }
        return out;
    }""")
    assert len(widths) == 6
    assert max(widths) - min(widths) < 0.5, widths
    assert min(widths) > 100


def test_pdf_without_chromium_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from slidekit.export import pdf

    monkeypatch.setattr(pdf, "CHROMIUM", str(tmp_path / "no-chromium"))
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n")
    assert main(["export", str(deck), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --pdf needs ") and "chromium" in err and "Traceback" not in err
    assert (tmp_path / "talk.html").exists() and not (tmp_path / "talk.pdf").exists()


@pytest.mark.parametrize("how", ["same-name", "symlink", "deck-named-html", "pdf"])
def test_export_never_overwrites_the_deck(tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    name = "talk.html" if how == "deck-named-html" else ("talk.pdf" if how == "pdf" else "talk.md")
    deck = tmp_path / name
    deck.write_text(DECK)
    args = {
        "same-name": ["export", str(deck), "-o", str(deck)],
        "symlink": ["export", str(deck), "-o", str(tmp_path / "link.md")],
        "deck-named-html": ["export", str(deck)],  # default output: the deck's name with .html
        "pdf": ["export", str(deck), "-o", str(tmp_path / "talk.html"), "--pdf"],
    }[how]
    if how == "symlink":
        (tmp_path / "link.md").symlink_to(deck)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "refusing to overwrite the deck" in err and err.count("\n") == 1 and err.startswith("error: ")
    assert deck.read_text() == DECK
