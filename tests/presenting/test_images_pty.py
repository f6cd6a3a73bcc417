"""Images in the real presenter on a real pty (pexpect reads the raw bytes the terminal would get): the
kitty, iTerm2 and sixel escape sequences (detected from the environment or forced), the coloured half-block
fallback, remote URLs not fetched and images outside the deck's folder not read."""

from __future__ import annotations

import base64
import io
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from PIL import Image

from slidekit.render.image_encode import fit
from slidekit.render.term_image import detect_protocol

DECK = """---
author: Tester
---

# Picture

![a picture](pic.png)

---

# Remote

![logo](https://example.com/logo.png)

---

# Outside

![secret](../outside.png)
"""


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    folder = tmp_path / "talk"
    folder.mkdir()
    image = Image.new("RGB", (64, 32), (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, 32, 32))  # left half blue, right half red
    image.save(folder / "pic.png")
    image.save(tmp_path / "outside.png")
    path = folder / "deck.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def run(deck: Path, env: dict[str, str], *args: str) -> pexpect.spawn:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("COLUMNS", "LINES", "KITTY_WINDOW_ID", "TERM_PROGRAM", "LC_TERMINAL")}
    environment.update({"TERM": "xterm-256color", "COLORTERM": "truecolor",
                        "SLIDEKIT_STATE_DIR": str(deck.parent / "state"), **env})
    child = pexpect.spawn(sys.executable, ["-m", "slidekit", "present", str(deck), *args], env=environment,
                          dimensions=(24, 80), encoding="utf-8", cwd=str(deck.parent), timeout=15)
    return child


def first_frame(child: pexpect.spawn, overlay: bool = True) -> str:
    """Everything written up to the end of the first frame (and its images, written after the frame
    between save and restore cursor)."""
    child.expect("Slide 1 / 3")
    out = str(child.before) + str(child.after)
    child.expect(r"\x1b8" if overlay else r"\x1b\[\?2026l")
    return out + str(child.before)


def quit_(child: pexpect.spawn) -> None:
    child.send("q")
    child.expect(pexpect.EOF)


def png_in(payload: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(payload)))


def test_kitty_from_kitty_window_id(deck: Path) -> None:
    child = run(deck, {"KITTY_WINDOW_ID": "3"})
    out = first_frame(child)
    chunks = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", out)
    first = dict(kv.split("=") for kv in chunks[0][0].split(","))
    assert first["a"] == "T" and first["f"] == "100"
    assert (int(first["c"]), int(first["r"])) == fit((64, 32), 76, 18)
    image = png_in("".join(payload for _, payload in chunks))
    assert image.size == (64, 32) and image.convert("RGB").getpixel((0, 0)) == (0, 0, 255)
    assert re.search(r"\x1b\[4;3H\x1b_G", out)  # drawn at the picture's place: row 4, column 3
    quit_(child)


@pytest.mark.parametrize("env", [{"TERM_PROGRAM": "iTerm.app"}, {"TERM_PROGRAM": "WezTerm"}])
def test_iterm2_inline_image(deck: Path, env: dict[str, str]) -> None:
    child = run(deck, env)
    out = first_frame(child)
    match = re.search(r"\x1b\]1337;File=inline=1;size=(\d+);width=(\d+);height=(\d+);[^:]*:([A-Za-z0-9+/=]+)\x07",
                      out)
    assert match is not None
    assert png_in(match.group(4)).size == (64, 32) and int(match.group(1)) == len(base64.b64decode(match.group(4)))
    quit_(child)


def test_sixel_forced(deck: Path) -> None:
    child = run(deck, {"KITTY_WINDOW_ID": "3"}, "--image-protocol", "sixel")
    out = first_frame(child)
    match = re.search(r'\x1bPq"1;1;(\d+);(\d+)((?:#\d+;2;\d+;\d+;\d+)+)([^\x1b]*)\x1b\\', out)
    assert match is not None
    cols, rows = fit((64, 32), 76, 18)
    assert (int(match.group(1)), int(match.group(2))) == (cols * 10, rows * 20)
    colours = re.findall(r"#\d+;2;(\d+);(\d+);(\d+)", match.group(3))
    assert ("0", "0", "100") in colours and ("100", "0", "0") in colours
    assert match.group(4).count("-") == (rows * 20 + 5) // 6  # one graphics new line per band of six rows
    assert "\x1b_G" not in out
    quit_(child)


def test_half_blocks_without_a_graphics_protocol(deck: Path) -> None:
    child = run(deck, {})
    out = first_frame(child, overlay=False)
    assert "\x1b_G" not in out and "1337;File" not in out and "\x1bPq" not in out
    assert re.search(r"\x1b\[[0-9;]*38;2;0;0;255;48;2;0;0;255m▀", out)  # blue half
    assert re.search(r"\x1b\[[0-9;]*38;2;255;0;0;48;2;255;0;0m▀", out)  # red half
    child.send("n")
    child.expect("remote image not fetched")
    child.send("n")
    child.expect("image outside the deck's folder")
    quit_(child)


def test_detection_table() -> None:
    assert detect_protocol({"KITTY_WINDOW_ID": "1"}) == "kitty"
    assert detect_protocol({"TERM": "xterm-kitty"}) == "kitty"
    assert detect_protocol({"TERM_PROGRAM": "iTerm.app"}) == "iterm"
    assert detect_protocol({"TERM_PROGRAM": "WezTerm"}) == "iterm"
    assert detect_protocol({"TERM": "foot"}) == "sixel"
    assert detect_protocol({"TERM": "xterm-256color"}) == "halfblocks"
