"""The first-frame deck agrees with the full parse on everything the first frame shows."""

from __future__ import annotations

import pytest

from slidekit.deck.load import load_deck
from slidekit.present.quick import quick_deck
from tests.present.harness import deck_text


@pytest.mark.parametrize("text", [
    deck_text(12),
    deck_text(12, front="theme: dark\nauthor: X\npaging: '%d of %d'"),
    deck_text(12).split("---\n\n", 1)[1],  # no front matter
    deck_text(12) + "\n---\n",  # trailing separator
    "# only\n\n```yaml\n---\n```\n\n---\n\n" + "\n---\n\n".join(f"# s{i}" for i in range(10)),
])
def test_quick_deck_matches_full_parse(text: str) -> None:
    full = load_deck(text, "d.md")
    quick = quick_deck(text, "d.md")
    assert quick is not None
    assert len(quick.slides) == len(full.slides)
    assert quick.meta == full.meta
    assert quick.slides[0] == full.slides[0]
    assert [s.span for s in quick.slides] == [s.span for s in full.slides]
    assert [s.source for s in quick.slides] == [s.source for s in full.slides]


def test_quick_deck_declines_small_preprocessed_or_broken_decks() -> None:
    assert quick_deck(deck_text(3), "d.md") is None
    assert quick_deck(deck_text(12, extra={5: "~~~echo\nhi\n~~~"}), "d.md") is None
    assert quick_deck(deck_text(12) + "\n```python\nunclosed\n", "d.md") is None
