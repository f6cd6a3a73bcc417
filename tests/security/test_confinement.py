"""S1 (export embeds local files), S2 (front matter picks the build context), R4
(images that are not regular files), R7's image cases."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from slidekit.confine import Confinement, confinement, read_image, sniff
from slidekit.errors import SlidekitError
from slidekit.render.html_images import make_resolver
from tests.security.conftest import PNG, Run


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """deck/ with one real image; private/ next to it with a secret image."""
    (tmp_path / "deck").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "deck" / "ok.png").write_bytes(PNG)
    (tmp_path / "private" / "secret.png").write_bytes(PNG + b"SECRET")
    return tmp_path / "deck"


def test_s1_files_outside_the_deck_folder_are_refused_with_path_line(layout: Path, slidekit: Run,
                                                                    home: Path) -> None:
    (home / "x.png").write_bytes(PNG + b"HOMEFILE")
    (layout / "logo.png").symlink_to("/etc/shadow")
    (layout / "inner.png").symlink_to(layout.parent / "private" / "secret.png")
    deck = layout / "talk.md"
    deck.write_text("# t\n\n![a](ok.png) ![b](logo.png) ![c](../private/secret.png) ![d](/etc/shadow) "
                    "![e](~/x.png) ![f](inner.png)\n\n"
                    '<img src="../private/secret.png"> <video poster="/etc/shadow"></video> '
                    '<img src="file:///etc/shadow">\n')
    result = slidekit("export", str(deck), "-o", str(layout.parent / "out.html"), "--allow-html")
    assert result.returncode == 0, result.stderr
    html = (layout.parent / "out.html").read_text()
    assert html.count("data:image/png;base64,") == 1  # ok.png only
    for src, line in [("logo.png", 3), ("../private/secret.png", 3), ("/etc/shadow", 3), ("~/x.png", 3),
                      ("inner.png", 3), ("../private/secret.png", 5), ("/etc/shadow", 5),
                      ("file:///etc/shadow", 5)]:
        assert f"warning: {deck}:{line}: outside the deck's folder" in result.stderr
        assert f": {src} " in result.stderr
    assert "⚠ outside the deck&#x27;s folder" in html or "⚠ outside the deck's folder" in html  # on the slide


def test_s1_allow_path_and_user_config_widen_but_front_matter_cannot(layout: Path, slidekit: Run,
                                                                    home: Path) -> None:
    deck = layout / "talk.md"
    deck.write_text("---\nallow_paths: [..]\n---\n# t\n\n![c](../private/secret.png)\n")
    out = layout.parent / "out.html"
    refused = slidekit("export", str(deck), "-o", str(out))
    assert "outside the deck's folder" in refused.stderr and "data:image/png" not in out.read_text()
    allowed = slidekit("export", str(deck), "-o", str(out), "--allow-path", str(layout.parent / "private"))
    assert allowed.returncode == 0 and "data:image/png" in out.read_text(), allowed.stderr
    config = home / ".config" / "slidekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"allow_paths: [{layout.parent / 'private'}]\n")
    by_config = slidekit("export", str(deck), "-o", str(out))
    assert "outside" not in by_config.stderr and "data:image/png" in out.read_text()


def test_only_regular_files_with_image_magic_are_embedded(layout: Path) -> None:
    (layout / "fake.png").write_text("not an image")
    (layout / "real.txt").write_bytes(PNG)  # the suffix does not matter, the bytes do
    os.mkfifo(layout / "fifo.png")
    (layout / "dir.png").mkdir()
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(layout / "sock.png"))
        resolve = make_resolver(layout)
        assert "not an image" in (resolve("fake.png").problem or "")
        assert (resolve("real.txt").uri or "").startswith("data:image/png;base64,")
        for name in ("fifo.png", "dir.png", "sock.png"):  # R4: a FIFO used to hang forever
            assert "not a regular file" in (resolve(name).problem or ""), name


def test_r4_devices_are_never_read_even_when_allowed(tmp_path: Path) -> None:
    limits = Confinement((Path("/dev").resolve(), tmp_path.resolve()))
    found = read_image(Path("/dev/zero"), limits)
    assert found.data is None and "not a regular file" in (found.problem or "")
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    assert "not a regular file" in (read_image(tmp_path / "zero.png", limits).problem or "")


def test_size_cap_default_20_mib(layout: Path) -> None:
    big = layout / "big.png"
    with big.open("wb") as fh:
        fh.write(PNG)
        fh.truncate(20 * 1024 * 1024 + 1)
    assert "over the 20480 KiB limit" in (make_resolver(layout)("big.png").problem or "")


@pytest.mark.parametrize(("head", "mime"), [
    (PNG, "image/png"), (b"\xff\xd8\xff\xe0", "image/jpeg"), (b"GIF89a", "image/gif"),
    (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"), (b"\0\0\0\x1cftypavif", "image/avif"),
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    (b"<svg/>", "image/svg+xml"), (b"#!/bin/sh\n", None), (b"root:x:0:0", None), (b"", None),
])
def test_magic_bytes(head: bytes, mime: str | None) -> None:
    assert sniff(head) == mime


@pytest.mark.parametrize(("src", "problem"), [("x%00.png", "not a file name"),
                                              ("~nosuchuser/x.png", "unknown user")])
def test_r7_odd_image_names_warn_with_line(layout: Path, slidekit: Run, src: str, problem: str) -> None:
    deck = layout / "talk.md"
    deck.write_text(f"# t\n\n![a]({src})\n")
    result = slidekit("export", str(deck), "-o", str(layout.parent / "o.html"))
    assert result.returncode == 0 and f"warning: {deck}:3: {problem}" in result.stderr, result.stderr
    assert "internal error" not in result.stderr


def test_confinement_resolves_symlinked_roots(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.png").write_bytes(PNG)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    limits = confinement(tmp_path / "link")
    assert limits.inside(tmp_path / "real" / "a.png")
    assert not limits.inside(tmp_path / "link" / ".." / "other.png")


# --------------------------------------------------------------------------- S2: build context


def _context_deck(folder: Path, context: str) -> Path:
    deck = folder / "talk.md"
    deck.write_text(f"---\ncontext: {context}\n---\n# x\n\n```dockerfile\nFROM scratch\nCOPY secret.txt /s\n```\n")
    return deck


@pytest.mark.parametrize("context", ["../..", "/", "'../'", "sub/../.."])
def test_s2_front_matter_context_outside_the_deck_is_refused(tmp_path: Path, slidekit: Run, context: str) -> None:
    folder = tmp_path / "a" / "b"
    (folder / "sub").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("TOPSECRET\n")
    deck = _context_deck(folder, context)
    result = slidekit("verify", str(deck), timeout=30)
    assert result.returncode == 2
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"error: {deck}:2: front matter `context:") and "outside the deck's folder" in line
    assert "TOPSECRET" not in result.stdout + result.stderr


def test_s2_context_symlink_leaving_the_deck_is_refused(tmp_path: Path) -> None:
    from slidekit.deck.load import load_deck
    from slidekit.verify.run import context_root

    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "ctx").symlink_to(tmp_path)
    deck = load_deck(_context_deck(folder, "ctx").read_text(), str(folder / "talk.md"))
    with pytest.raises(SlidekitError, match="outside the deck's folder"):
        context_root(deck, None)
    (folder / "inside").mkdir()
    inside = load_deck(_context_deck(folder, "inside").read_text(), str(folder / "talk.md"))
    assert context_root(inside, None) == (folder / "inside").resolve()
    assert context_root(deck, tmp_path) == tmp_path.resolve()  # --context may name any folder
