"""The PyYAML-free front matter fast path must agree with yaml.safe_load exactly."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from slidekit.deck.meta import simple_mapping

_KEYS = st.sampled_from(["theme", "author", "date", "paging", "title", "yes", "On", "x_1", "Key", "a-b", "1a"])
_VALUES = st.one_of(
    st.sampled_from(["", "solarized_dark.json", "Slide %d / %d", "MMMM dd, YYYY", "no", "Null", "~",
                     "'quoted'", '"dq"', "a: b", "x # c", "[1, 2]", "1.5", "0x10", "2024-01-01", "&a",
                     "*a", "!tag v", "'it''s'", '"esc\\n"', "a  ", " lead", "é", "a\tb"]),
    st.text(alphabet="abcXYZ019 _.,/()+%-:#'\"[]{}&*!|>@`\\\t", max_size=12),
)
_LINES = st.lists(st.tuples(_KEYS, _VALUES, st.sampled_from([": ", ":", ":  ", " : "])), min_size=1, max_size=5)


def _text(lines: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{k}{sep}{v}" for k, v, sep in lines)


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_fast_path_agrees_with_pyyaml(lines: list[tuple[str, str, str]]) -> None:
    text = _text(lines)
    fast = simple_mapping(text)
    if fast is None:
        return  # the real parser handles it
    expected = yaml.safe_load(text)
    assert fast == expected
    assert [type(v) for v in fast.values()] == [type(v) for v in expected.values()]
    assert list(fast) == list(expected)


def test_fast_path_takes_plain_decks_and_defers_the_rest() -> None:
    assert simple_mapping("theme: solarized_dark.json\nauthor: Ada\npaging: 'Slide %d of %d'") == {
        "theme": "solarized_dark.json", "author": "Ada", "paging": "Slide %d of %d"}
    for tricky in ("date: 2024-01-01", "author: yes", "image_map:\n  a: b", "title: a: b", "n: 1"):
        assert simple_mapping(tricky) is None, tricky
