"""The pure part: resolutions and apply_results on a frozen deck."""

from __future__ import annotations

from slidekit.deck.load import load_deck
from slidekit.deck.model import CommandBlock
from slidekit.preprocess import apply, runner
from slidekit.preprocess.apply import Resolution, apply_results, from_cache, from_run
from slidekit.preprocess.cache import cache_key, decode, encode, new_entry
from slidekit.preprocess.pipeline import command_blocks
from slidekit.preprocess.runner import RunResult

DECK = "# A\n\n~~~cat\none\n~~~\n\n---\n\n> quoted\n>\n> ```\n> ~~~cat\n> two\n> ~~~\n> ```\n"


def test_apply_results_replaces_top_level_and_nested_blocks() -> None:
    deck = load_deck(DECK, "d.md")
    first, nested = command_blocks(deck)
    new = apply_results(deck, {first.span.first: Resolution("ONE\n"),
                               nested.span.first: Resolution(None, "boom", True, "boom")})
    a, b = command_blocks(new)
    assert (a.output, a.notice, a.failed) == ("ONE\n", None, False)
    assert (b.output, b.notice, b.failed) == (None, "boom", True)
    assert command_blocks(deck)[0].output is None  # the input deck is untouched (frozen values)
    assert new.slides[0].blocks[0] is deck.slides[0].blocks[0]  # the heading is shared, not copied


def test_apply_without_results_is_identity() -> None:
    deck = load_deck(DECK, "d.md")
    assert apply_results(deck, {}) is deck


def test_signal_and_missing_messages() -> None:
    killed = from_run(RunResult(("tool",), runner.EXIT, exit_status=-9), 10)
    assert killed.notice == "tool was killed by SIGKILL (no stderr)" and killed.failed
    missing = from_run(RunResult(("/opt/bin/graph-easy",), runner.MISSING), 10)
    assert "libgraph-easy-perl" in (missing.notice or "")


def test_tail_keeps_the_last_lines_on_one_line() -> None:
    assert apply.tail("a\n\nb\nc\nd\n") == "b | c | d"
    assert len(apply.tail("x" * 1000)) == apply.TAIL_CHARS + 1


def test_cache_entry_round_trip_and_key() -> None:
    entry = new_entry("cat", ("cat",), "body\n", " out \n", "", 0)
    assert decode(encode(entry), "cat", "body\n") == entry
    assert decode(encode(entry), "cat", "other\n") is None  # stale or foreign entry
    assert cache_key("cat", ("cat",), "a") != cache_key("cat", ("cat",), "b")
    assert cache_key("a b", ("a", "b"), "") != cache_key("a  b", ("a", "b"), "")
    hit = from_cache(entry, trusted=True)
    assert (hit.output, hit.notice, hit.problem) == (" out \n", None, None)
    assert "cached output" in (from_cache(entry, trusted=False).notice or "")


def test_command_blocks_are_found_in_order() -> None:
    assert [isinstance(b, CommandBlock) for b in command_blocks(load_deck(DECK, "d.md"))] == [True, True]
