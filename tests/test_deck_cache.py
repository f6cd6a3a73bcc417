"""The persistent parsed-deck cache: an unchanged deck is not parsed again; anything else is."""

from __future__ import annotations

from pathlib import Path

import pytest

from slidekit.deck import cache
from slidekit.deck.load import load_deck
from slidekit.session import open_deck

TEXT = "---\nauthor: Ada\n---\n\n# One\n\n```python\nx = 1\n```\n\n---\n\n# Two\n"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    return tmp_path / "xdg" / "slidekit" / "decks"


def test_a_second_load_comes_from_the_cache_and_equals_a_parse(_private_cache: Path) -> None:
    assert not cache.has(TEXT, "talk.md") and cache.lookup(TEXT, "talk.md") is None
    first = cache.load_deck_cached(TEXT, "talk.md")
    assert cache.has(TEXT, "talk.md") and len(list(_private_cache.glob("*.pickle"))) == 1
    again = cache.lookup(TEXT, "talk.md")
    assert again == first == load_deck(TEXT, "talk.md")
    assert again is not None and again.meta.key_line("author") == 2


def test_the_key_is_the_text_and_the_path() -> None:
    cache.load_deck_cached(TEXT, "talk.md")
    assert cache.lookup(TEXT + "\nmore\n", "talk.md") is None
    assert cache.lookup(TEXT, "other.md") is None  # the path is in the deck (and its messages)
    assert cache.key(TEXT, "talk.md") != cache.key(TEXT, "other.md")


def test_a_damaged_entry_is_a_miss_and_is_replaced(_private_cache: Path) -> None:
    cache.load_deck_cached(TEXT, "talk.md")
    [entry] = _private_cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert cache.lookup(TEXT, "talk.md") is None and not entry.exists()
    assert cache.load_deck_cached(TEXT, "talk.md") == load_deck(TEXT, "talk.md")
    assert entry.exists()


def test_disabled_by_environment(monkeypatch: pytest.MonkeyPatch, _private_cache: Path) -> None:
    monkeypatch.setenv(cache.DISABLE_ENV, "0")
    cache.load_deck_cached(TEXT, "talk.md")
    assert not _private_cache.exists() and cache.lookup(TEXT, "talk.md") is None


def test_old_entries_are_pruned(monkeypatch: pytest.MonkeyPatch, _private_cache: Path) -> None:
    monkeypatch.setattr(cache, "KEEP", 3)
    for n in range(5):
        cache.load_deck_cached(TEXT + f"\n---\n\n# Extra {n}\n", "talk.md")
    assert len(list(_private_cache.glob("*.pickle"))) == 3


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache.load_deck_cached(TEXT, "talk.md") == load_deck(TEXT, "talk.md")


def test_open_deck_uses_it_and_a_save_is_seen(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(TEXT)
    assert len(open_deck(str(deck), preprocess=False).slides) == 2
    assert cache.has(TEXT, str(deck))
    deck.write_text(TEXT + "\n---\n\n# Three\n")
    assert len(open_deck(str(deck), preprocess=False).slides) == 3
