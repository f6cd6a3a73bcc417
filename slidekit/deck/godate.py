"""slides' ``date:``: its tokens become a Go layout, which Go's ``time.Format`` fills in.

slides (``internal/meta/meta.go``) replaces ``YYYY YY MMMM MMM MM mm DD dd`` with Go's
reference-time pieces (``2006 06 January Jan 01 1 02 2``), one token after the other,
and, when anything was replaced, formats today with the result as a Go layout, so the
Go reference tokens written around slides' tokens are filled in too (``MMMM dd, 2006``
gives ``November 29, 2026``). A value without any of slides' tokens is shown as
written, Go layouts included (``January 2, 2006`` stays literal: slides' commit
1e0c300, "ensure that date strings are not interpreted as January 2, 2006 formatted
strings"). :func:`go_format` is a Python rendering of ``time.Format``'s layout rules.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable

#: slides' token → Go layout piece, in slides' replacement order
SLIDES_TOKENS: tuple[tuple[str, str], ...] = (
    ("YYYY", "2006"), ("YY", "06"), ("MMMM", "January"), ("MMM", "Jan"),
    ("MM", "01"), ("mm", "1"), ("DD", "02"), ("dd", "2"),
)


def slides_layout(value: str) -> str:
    """slides' ``parseDate``: each token replaced everywhere, in order."""
    for token, piece in SLIDES_TOKENS:
        value = value.replace(token, piece)
    return value


def slides_date(value: str, now: _dt.datetime) -> str:
    """The footer's date for the front matter's ``date: value``, as slides shows it."""
    layout = slides_layout(value)
    return value if layout == value else go_format(layout, now)


def _hour12(now: _dt.datetime) -> int:
    return now.hour % 12 or 12


def _offset(now: _dt.datetime, colons: bool, seconds: bool, short: bool, zulu: bool) -> str:
    delta = now.utcoffset() or _dt.timedelta(0)
    total = int(delta.total_seconds())
    if zulu and total == 0:
        return "Z"
    sign = "-" if total < 0 else "+"
    total = abs(total)
    hours, minutes, secs = total // 3600, total // 60 % 60, total % 60
    sep = ":" if colons else ""
    out = f"{sign}{hours:02d}"
    if not short:
        out += f"{sep}{minutes:02d}"
        if seconds:
            out += f"{sep}{secs:02d}"
    return out


def _zone(now: _dt.datetime) -> str:
    name = now.tzname()
    return name if name and re.fullmatch(r"[A-Za-z]{3,5}", name) else _offset(now, False, False, False, False)


#: Go's layout chunks, longest first at each starting character (time/format.go's nextStdChunk)
_CHUNKS: tuple[tuple[str, Callable[[_dt.datetime], str]], ...] = (
    ("January", lambda t: t.strftime("%B")),
    ("Jan", lambda t: t.strftime("%b")),
    ("Monday", lambda t: t.strftime("%A")),
    ("Mon", lambda t: t.strftime("%a")),
    ("MST", _zone),
    ("2006", lambda t: f"{t.year:04d}"),
    ("002", lambda t: f"{t.timetuple().tm_yday:03d}"),
    ("01", lambda t: f"{t.month:02d}"),
    ("02", lambda t: f"{t.day:02d}"),
    ("03", lambda t: f"{_hour12(t):02d}"),
    ("04", lambda t: f"{t.minute:02d}"),
    ("05", lambda t: f"{t.second:02d}"),
    ("06", lambda t: f"{t.year % 100:02d}"),
    ("__2", lambda t: f"{t.timetuple().tm_yday:>3d}"),
    ("_2006", lambda t: f"_{t.year:04d}"),
    ("_2", lambda t: f"{t.day:>2d}"),
    ("15", lambda t: f"{t.hour:02d}"),
    ("1", lambda t: str(t.month)),
    ("2", lambda t: str(t.day)),
    ("3", lambda t: str(_hour12(t))),
    ("4", lambda t: str(t.minute)),
    ("5", lambda t: str(t.second)),
    ("PM", lambda t: "PM" if t.hour >= 12 else "AM"),
    ("pm", lambda t: "pm" if t.hour >= 12 else "am"),
    ("-07:00:00", lambda t: _offset(t, True, True, False, False)),
    ("-070000", lambda t: _offset(t, False, True, False, False)),
    ("-07:00", lambda t: _offset(t, True, False, False, False)),
    ("-0700", lambda t: _offset(t, False, False, False, False)),
    ("-07", lambda t: _offset(t, False, False, True, False)),
    ("Z07:00:00", lambda t: _offset(t, True, True, False, True)),
    ("Z070000", lambda t: _offset(t, False, True, False, True)),
    ("Z07:00", lambda t: _offset(t, True, False, False, True)),
    ("Z0700", lambda t: _offset(t, False, False, False, True)),
    ("Z07", lambda t: _offset(t, False, False, True, True)),
)
_FRACTION = re.compile(r"[.,](0+|9+)(?![0-9])")


def go_format(layout: str, now: _dt.datetime) -> str:
    """``now`` formatted with the Go layout ``layout`` (Go's reference time
    ``Mon Jan 2 15:04:05 MST 2006``)."""
    out: list[str] = []
    i = 0
    while i < len(layout):
        fraction = _FRACTION.match(layout, i) if layout[i] in ".," else None
        if fraction:
            digits = f"{now.microsecond:06d}000"[: len(fraction.group(1))]
            if fraction.group(1)[0] == "9":
                digits = digits.rstrip("0")
            out.append(layout[i] + digits if digits else "")
            i = fraction.end()
            continue
        for chunk, render in _CHUNKS:
            if layout.startswith(chunk, i) and not _word_continues(layout, i, chunk):
                out.append(render(now))
                i += len(chunk)
                break
        else:
            out.append(layout[i])
            i += 1
    return "".join(out)


def _word_continues(layout: str, i: int, chunk: str) -> bool:
    """Go reads ``Jan`` and ``Mon`` only when no lower-case letter follows (``Month`` is text)."""
    if chunk in ("Jan", "Mon"):
        end = i + len(chunk)
        return end < len(layout) and layout[end].islower()
    return False
