"""Terminal input bytes → key names (pure).

Keys are named the way the bindings table names them: printable characters
are themselves (``"j"``, ``"G"``, ``"?"``), control keys are ``"ctrl+n"``, and
special keys use words (``"enter"``, ``"esc"``, ``"up"``, ``"pgdown"``).
Escape sequences come in CSI (``ESC [ A``) and SS3 (``ESC O A``) forms.
"""

from __future__ import annotations

ESC = "\x1b"

#: final byte of a CSI/SS3 sequence without parameters → key
_ARROWS: dict[str, str] = {"A": "up", "B": "down", "C": "right", "D": "left", "H": "home", "F": "end"}

#: numeric CSI ``ESC [ n ~`` sequences → key
_TILDE: dict[str, str] = {
    "1": "home", "2": "insert", "3": "delete", "4": "end",
    "5": "pgup", "6": "pgdown", "7": "home", "8": "end",
}

#: single control bytes with names of their own
_CONTROL: dict[str, str] = {
    "\r": "enter", "\n": "enter", "\t": "tab", " ": "space",
    "\x7f": "backspace", "\x08": "backspace",
}


def _control_name(ch: str) -> str:
    if ch in _CONTROL:
        return _CONTROL[ch]
    code = ord(ch)
    if 1 <= code <= 26:
        return "ctrl+" + chr(code + 96)
    return f"ctrl+{code}"


def _escape(text: str, i: int) -> tuple[str | None, int]:
    """Decode the escape sequence starting at ``text[i] == ESC``.

    Returns (key, next index); key is None when the sequence is incomplete.
    """
    if i + 1 >= len(text):
        return None, i
    intro = text[i + 1]
    if intro == "O":  # SS3: ESC O A
        if i + 2 >= len(text):
            return None, i
        final = text[i + 2]
        return _ARROWS.get(final, "unknown"), i + 3
    if intro != "[":  # alt+key, or ESC followed by an ordinary key
        return "esc", i + 1
    j = i + 2
    while j < len(text) and (text[j].isdigit() or text[j] == ";"):
        j += 1
    if j >= len(text):
        return None, i
    params, final = text[i + 2 : j], text[j]
    if final == "~":
        return _TILDE.get(params.split(";")[0], "unknown"), j + 1
    return _ARROWS.get(final, "unknown"), j + 1


def decode(data: str, *, final: bool = False) -> tuple[list[str], str]:
    """Split ``data`` into key names; returns (keys, unparsed rest).

    An incomplete escape sequence at the end is returned as the rest so the
    caller can wait briefly for the remainder; with ``final=True`` a lone ESC
    is taken as the Escape key.
    """
    keys: list[str] = []
    i = 0
    while i < len(data):
        ch = data[i]
        if ch == ESC:
            key, nxt = _escape(data, i)
            if key is None:
                if not final:
                    return keys, data[i:]
                keys.append("esc")
                i += 1
                continue
            keys.append(key)
            i = nxt
        elif ch < " " or ch == "\x7f" or ch == " ":
            keys.append(_control_name(ch))
            i += 1
        else:
            keys.append(ch)
            i += 1
    return keys, ""
