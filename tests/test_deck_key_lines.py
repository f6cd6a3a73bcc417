"""Front matter key lines are recorded in the deck model when it is parsed (Deck.meta.key_line)."""

from __future__ import annotations

import pytest

from slidekit.deck.load import load_deck
from slidekit.errors import DeckError


def test_plain_key_value_front_matter() -> None:
    deck = load_deck("---\ntheme: dark\n\nauthor: Ada\n---\n\n# One\n", "talk.md")
    assert deck.meta.key_line("theme") == 2
    assert deck.meta.key_line("author") == 4
    assert deck.meta.key_line("paging") == 1  # not given: the front matter's first line (its ---)


def test_front_matter_without_a_leading_separator() -> None:
    deck = load_deck("theme: dark\nauthor: Ada\n---\n# One\n", "talk.md")
    assert (deck.meta.key_line("theme"), deck.meta.key_line("author")) == (1, 2)


def test_yaml_front_matter_records_nested_keys_and_items() -> None:
    text = ("---\n"                 # 1
            "title: 'Talk'\n"       # 2
            "checks:\n"             # 3
            "  web:\n"              # 4
            "    http: {port: 80}\n"  # 5
            "  worker:\n"           # 6
            "    - command: [x]\n"  # 7
            "    - command: [y]\n"  # 8
            "\"timeout\": 3\n"      # 9
            "---\n# One\n")
    meta = load_deck(text, "talk.md").meta
    assert meta.key_line("title") == 2
    assert meta.key_line("checks") == 3
    assert meta.key_line("checks", "web") == 4
    assert meta.key_line("checks", "web", "http") == 5
    assert meta.key_line("checks", "worker", 0) == 7
    assert meta.key_line("checks", "worker", 1) == 8
    assert meta.key_line("checks", "worker", 5) == 6  # no such item: its nearest parent
    assert meta.key_line("timeout") == 9  # a quoted key


def test_no_front_matter_has_no_key_lines() -> None:
    meta = load_deck("# One\n\n---\n\n# Two\n", "talk.md").meta
    assert meta.key_line("theme") is None and dict(meta.key_lines) == {}


def test_errors_and_warnings_use_the_recorded_lines() -> None:
    with pytest.raises(DeckError) as info:
        load_deck("---\nauthor: Ada\n\ntimeout: soon\n---\n# One\n", "talk.md")
    assert str(info.value).startswith("talk.md:4: front matter `timeout`")
    deck = load_deck("---\nauthor: Ada\nbogus: [1]\n---\n# One\n", "talk.md")
    assert deck.warnings == ("talk.md:3: unknown front matter key `bogus` (ignored)",)
