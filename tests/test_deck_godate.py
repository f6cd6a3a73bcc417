"""slides' ``date:``: slides' tokens become a Go layout that Go's time.Format fills in."""

from __future__ import annotations

import datetime as dt

import pytest

from slidekit.deck.godate import go_format, slides_date, slides_layout
from slidekit.deck.meta import format_date

MST = dt.timezone(dt.timedelta(hours=-7), "MST")
#: Go's reference time: formatting it with a layout gives the layout back
REFERENCE = dt.datetime(2006, 1, 2, 15, 4, 5, 0, tzinfo=MST)
NOW = dt.datetime(2026, 11, 29, 9, 7, 3, 120000, tzinfo=dt.timezone.utc)

GO_LAYOUTS = [  # Go's own layout constants (time/format.go)
    "01/02 03:04:05PM '06 -0700", "Mon Jan _2 15:04:05 2006", "Mon Jan _2 15:04:05 MST 2006",
    "Mon Jan 02 15:04:05 -0700 2006", "02 Jan 06 15:04 MST", "02 Jan 06 15:04 -0700",
    "Monday, 02-Jan-06 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 -0700",
    "2006-01-02T15:04:05Z07:00", "3:04PM", "Jan _2 15:04:05", "2006-01-02 15:04:05", "2006-01-02",
    "15:04:05", "January 2, 2006", "Jan 2", "002 __2",
]


@pytest.mark.parametrize("layout", GO_LAYOUTS)
def test_reference_time_formats_to_its_layout(layout: str) -> None:
    # space padding and the Z (UTC-only) zone are the exceptions, as in Go
    expected = layout.replace("__2", "  2").replace("_2", " 2").replace("Z07:00", "-07:00")
    assert go_format(layout, REFERENCE) == expected


@pytest.mark.parametrize(("layout", "expected"), [
    ("January 2, 2006", "November 29, 2026"),
    ("2006-01-02", "2026-11-29"),
    ("Jan 2", "Nov 29"),
    ("Monday _2 Jan 06 3:04:05.000 pm", "Sunday 29 Nov 26 9:07:03.120 am"),
    ("15:04:05.999", "09:07:03.12"),
    ("2006-01-02T15:04:05Z07:00", "2026-11-29T09:07:03Z"),
    ("Month Janet", "Month Janet"),  # Go reads Jan/Mon only before a non-lower-case letter
])
def test_go_format(layout: str, expected: str) -> None:
    assert go_format(layout, NOW) == expected


@pytest.mark.parametrize(("value", "expected"), [  # slides' own cases (internal/meta/meta_test.go)
    ("MMM dd, YYYY", "Nov 29, 2026"),
    ("YYYY-MM-DD", "2026-11-29"),
    ("dd/mm/YY", "29/11/26"),
    ("MMMM DD, YYYY", "November 29, 2026"),
    ("31/01/1970", "31/01/1970"),  # no token: literal
    ("Apr. 4, 2021", "Apr. 4, 2021"),
    # a Go layout alone is literal, as in slides since "ensure that date strings are not
    # interpreted as January 2, 2006 formatted strings"
    ("January 2, 2006", "January 2, 2006"),
    ("2006-01-02", "2006-01-02"),
    ("Jan 2", "Jan 2"),
    # next to slides' tokens, Go's reference tokens are formatted too, as slides does
    ("MMMM dd, 2006", "November 29, 2026"),
    ("YYYY-MM-DD (Monday)", "2026-11-29 (Sunday)"),
])
def test_slides_date(value: str, expected: str) -> None:
    assert slides_date(value, NOW) == expected


def test_layout_replaces_in_slides_order() -> None:
    assert slides_layout("YYYY YY MMMM MMM MM mm DD dd") == "2006 06 January Jan 01 1 02 2"


def test_footer_date_uses_the_given_day() -> None:
    assert format_date("MMMM dd, 2006", dt.date(2024, 2, 29)) == "February 29, 2024"
    assert format_date("", dt.date(2024, 2, 29)) == ""
