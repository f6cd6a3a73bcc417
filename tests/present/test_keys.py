"""Terminal bytes → key names, including both escape-sequence forms."""

from __future__ import annotations

import pytest

from slidekit.present.keys import decode


@pytest.mark.parametrize("data, keys", [
    ("\x1b[A\x1b[B\x1b[C\x1b[D", ["up", "down", "right", "left"]),
    ("\x1bOA\x1bOB\x1bOC\x1bOD", ["up", "down", "right", "left"]),
    ("\x1b[5~\x1b[6~", ["pgup", "pgdown"]),
    ("\x1b[1;5C", ["right"]),
    (" \r\n\x7f\t", ["space", "enter", "enter", "backspace", "tab"]),
    ("\x03\x0e\x05\x04\x15", ["ctrl+c", "ctrl+n", "ctrl+e", "ctrl+d", "ctrl+u"]),
    ("jG/?é", ["j", "G", "/", "?", "é"]),
    ("\x1bx", ["esc", "x"]),
])
def test_decode(data: str, keys: list[str]) -> None:
    assert decode(data) == (keys, "")


def test_incomplete_sequence_is_kept_for_later() -> None:
    assert decode("j\x1b[") == (["j"], "\x1b[")
    assert decode("\x1b") == ([], "\x1b")
    assert decode("\x1b[6") == ([], "\x1b[6")
    assert decode("\x1b", final=True) == (["esc"], "")
    keys, rest = decode("\x1b[")
    assert decode(rest + "6~") == (["pgdown"], "")
