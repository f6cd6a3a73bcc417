"""Front matter: slides' four keys with slides' semantics, slidekit's options validated."""

from __future__ import annotations

import datetime as dt

import pytest

from slidekit.deck.load import load_deck
from slidekit.deck.meta import footer_parts, format_date, format_paging
from slidekit.errors import DeckError

DAY = dt.date(2024, 3, 5)


def meta(front: str):  # type: ignore[no-untyped-def]
    return load_deck(f"---\n{front}\n---\n# one\n---\n# two\n", "t.md").meta


def test_slides_keys_are_read() -> None:
    m = meta("theme: solarized_light\nauthor: Grace Hopper\ndate: YYYY\npaging: '%d'")
    assert (m.theme, m.author, m.date, m.paging) == ("solarized_light", "Grace Hopper", "YYYY", "%d")


def test_defaults_when_absent() -> None:
    m = meta("title: Talk")
    author, date, paging = footer_parts(m, 1, 2, DAY)
    assert date == "2024-03-05" and paging == "Slide 1 / 2"
    assert m.theme is None and m.author is None


def test_empty_strings_hide_footer_items() -> None:
    assert footer_parts(meta("author: ''\ndate: ''\npaging: ''"), 1, 2, DAY) == ("", "", "")


@pytest.mark.parametrize(("spec", "expected"), [
    ("YYYY", "2024"), ("YY", "24"), ("MMMM", "March"), ("MMM", "Mar"), ("MM", "03"), ("mm", "3"),
    ("DD", "05"), ("dd", "5"), ("YYYY-MM-DD", "2024-03-05"), ("dd MMMM YYYY", "5 March 2024"),
    ("mm/dd/YY", "3/5/24"), ("Conference talk", "Conference talk"),
])
def test_date_tokens(spec: str, expected: str) -> None:
    assert format_date(spec, DAY) == expected
    assert footer_parts(meta(f"date: '{spec}'"), 1, 1, DAY)[1] == expected


@pytest.mark.parametrize(("spec", "expected"), [
    ("Page", "Page"), ("%d", "2"), ("%d of %d", "2 of 7"), ("[%d/%d]", "[2/7]"), ("%d %d %d", "%d %d %d"),
])
def test_paging_counts_percent_d(spec: str, expected: str) -> None:
    assert format_paging(spec, 2, 7) == expected
    assert footer_parts(meta(f"paging: '{spec}'"), 2, 7, DAY)[2] == expected


def test_unknown_keys_warn_with_line_but_load() -> None:
    deck = load_deck("---\ntheme: dark\nfavourite_colour: blue\n---\n# one\n", "t.md")
    assert deck.warnings == ("t.md:3: unknown front matter key `favourite_colour` (ignored)",)
    assert deck.meta.theme == "dark" and len(deck.slides) == 1


@pytest.mark.parametrize(("front", "line", "message"), [
    ("theme: dark\ntimeout: soon", 3, "`timeout`: expected a number"),
    ("image_map: [a, b]", 2, "`image_map`: expected a mapping"),
    ("context: 3", 2, "`context`: expected a string"),
    ("timeout: true", 2, "`timeout`: expected a number"),
    ("author: [a, b]", 2, "`author` must be a string"),
])
def test_slidekit_option_type_errors(front: str, line: int, message: str) -> None:
    with pytest.raises(DeckError) as info:
        load_deck(f"---\n{front}\n---\n# one\n", "t.md")
    assert info.value.line == line and message in info.value.message
    assert str(info.value).startswith(f"t.md:{line}: ")


def test_valid_slidekit_options() -> None:
    m = meta("context: ../app\ntimeout: 2.5\nimage_map: {python: 'local/python'}\ntitle: My talk")
    assert m.options["context"] == "../app" and m.options["timeout"] == 2.5
    assert m.options["image_map"] == {"python": "local/python"} and m.title == "My talk"


def test_broken_front_matter_points_at_the_line() -> None:
    with pytest.raises(DeckError) as info:
        load_deck("---\ntheme: dark\nauthor: [unclosed\n---\n# one\n", "t.md")
    assert info.value.line in (3, 4) and "invalid front matter" in info.value.message


def test_numbers_are_accepted_as_strings() -> None:
    assert meta("date: 2024\nauthor: 42").author == "42"


def test_first_slide_that_looks_like_yaml_is_not_front_matter() -> None:
    # slides would drop "# Title" (a YAML comment); slidekit keeps it as a slide.
    deck = load_deck("# Title\n---\n# Next\n", "t.md")
    assert [s.title for s in deck.slides] == ["Title", "Next"]
    deck = load_deck("key: value\n---\n# Next\n", "t.md")
    assert deck.meta.raw == {"key": "value"} and len(deck.slides) == 1


@pytest.mark.parametrize(("line", "key", "expected"), [
    ("date: 2024-01-01", "date", "2024-01-01"),  # a YAML timestamp: slides shows it literally
    ("date: 2024-01-01 10:00:00", "date", "2024-01-01 10:00:00"),
    ("author: yes", "author", "yes"),  # a YAML 1.1 boolean
    ("paging: 0x10", "paging", "0x10"),
    ("theme: 1.50", "theme", "1.50"),
])
def test_slides_keys_keep_the_scalar_text_as_slides_does(line: str, key: str, expected: str) -> None:
    deck = load_deck(f"---\n{line}\n---\n# one\n", "t.md")
    assert getattr(deck.meta, key) == expected
    assert footer_parts(deck.meta, 1, 1, dt.date(2030, 5, 6))[1] == (expected if key == "date" else "2030-05-06")


def test_null_slides_keys_keep_their_defaults() -> None:
    deck = load_deck("---\nauthor: ~\ndate: null\ntimeout: 3\n---\n# one\n", "t.md")
    assert deck.meta.author is None and deck.meta.date is None and deck.meta.options["timeout"] == 3


def test_a_repeated_slides_key_takes_its_last_value() -> None:
    assert load_deck("---\ndate: ~\ndate: 2020-01-01\n---\n# one\n", "t.md").meta.date == "2020-01-01"
    assert load_deck("---\ndate: 2020-01-01\ndate: ~\n---\n# one\n", "t.md").meta.date is None
    with pytest.raises(DeckError, match="`date` must be a string"):
        load_deck("---\ndate: 2020-01-01\ndate: [x]\n---\n# one\n", "t.md")


@pytest.mark.parametrize(("line", "key", "expected"), [
    ("aspect: 4:3", "aspect", "4:3"),  # YAML 1.1 would read the sexagesimal number 243
    ("aspect: 16:9", "aspect", "16:9"),
])
def test_aspect_keeps_the_scalar_text(line: str, key: str, expected: str) -> None:
    assert load_deck(f"---\n{line}\n---\n# one\n", "t.md").meta.options[key] == expected
