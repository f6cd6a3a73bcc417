"""The one terminal sanitizer: every string slidekit did not write itself (slide text,
speaker notes, pre-processing output, build logs, error messages) passes through
:func:`clean` before it reaches a terminal.

It removes escape sequences (CSI ``ESC[``, OSC ``ESC]``, DCS ``ESCP``, SOS/PM/APC,
two-character ``ESC x``), their 8-bit C1 forms (U+009B CSI, U+009D OSC, U+0090 DCS...)
and every other C0/C1 control character except newline and tab. What is left cannot
move the cursor, retitle the window, write the clipboard or switch character sets.
Pure: no I/O, no imports from slidekit (the bottom of the import graph).
"""

from __future__ import annotations

import re

# A sequence introduced by ESC or its C1 equivalent, up to its terminator (or the end
# of the text for an unterminated string sequence, which a terminal would swallow too).
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"                        # CSI ... final byte
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])"                 # OSC, DCS, SOS, PM, APC ...
    r"[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"                    # ... up to BEL / ST
    r"|\x1b[ -/]*[0-~]?"                                        # ESC x, ESC ( B, a lone ESC
)
# C0 except \t and \n, DEL, C1
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` without escape sequences and control characters (``\\n``/``\\t`` kept)."""
    if not _SUSPECT.search(text):
        return text
    return _CONTROLS.sub("", _SEQUENCE.sub("", text))


def is_clean(text: str) -> bool:
    return _SUSPECT.search(text) is None
