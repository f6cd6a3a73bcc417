"""The presenter's state machine, purely: keys in, state and effects out."""

from __future__ import annotations

from dataclasses import replace

import pytest

from slidekit.present.state import BINDINGS, KEYMAP, Effect, Mode, State, View, clamp_to, find, handle, help_lines

SOURCES = tuple(f"# Slide {n}\n\ntext {n}" for n in range(1, 11))


def view(steps: tuple[int, ...] | None = None, **kw: object) -> View:
    return View(steps or (1,) * 10, SOURCES, **kw)  # type: ignore[arg-type]


def press(keys: list[str], state: State | None = None, v: View | None = None) -> tuple[State, list[Effect]]:
    state = state or State()
    v = v or view()
    effects = []
    for key in keys:
        state, effect = handle(state, key, v)
        effects.append(effect)
    return state, effects


@pytest.mark.parametrize("key", ["space", "right", "down", "enter", "n", "j", "l", "pgdown"])
def test_next_keys(key: str) -> None:
    assert press([key], State(index=3))[0].index == 4


@pytest.mark.parametrize("key", ["left", "up", "p", "h", "k", "N", "pgup"])
def test_prev_keys(key: str) -> None:
    assert press([key], State(index=3))[0].index == 2


def test_edges_clamp() -> None:
    assert press(["k"])[0].index == 0
    assert press(["j"], State(index=9))[0].index == 9


@pytest.mark.parametrize("keys, expected", [
    (["3", "j"], 3), (["1", "2", "j"], 9), (["5", "G"], 4), (["G"], 9), (["g", "g"], 0),
    (["9", "9", "G"], 9), (["0", "G"], 9), (["3", "x", "j"], 1),
])
def test_counts_and_jumps(keys: list[str], expected: int) -> None:
    start = State(index=0) if keys[0] != "g" else State(index=6)
    assert press(keys, start)[0].index == expected


def test_count_prev_and_count_reset_after_use() -> None:
    state, _ = press(["4", "k"], State(index=7))
    assert (state.index, state.count) == (3, "")
    assert press(["j"], state)[0].index == 4  # no leftover count


def test_single_g_then_other_key_does_nothing() -> None:
    state, _ = press(["g", "j"], State(index=2))
    assert state.index == 3 and not state.pending_g


def test_pauses_step_forward_then_slide_and_back_to_last_step() -> None:
    v = view((1, 3, 1) + (1,) * 7)
    state, _ = press(["j"], State(), v)
    assert (state.index, state.step) == (1, 0)
    state, _ = press(["j", "j"], state, v)
    assert (state.index, state.step) == (1, 2)
    state, _ = press(["j"], state, v)
    assert (state.index, state.step) == (2, 0)
    state, _ = press(["k"], state, v)
    assert (state.index, state.step) == (1, 2)  # previous slide fully revealed
    state, _ = press(["k"], state, v)
    assert (state.index, state.step) == (1, 1)
    state, _ = press(["2", "G"], State(index=5), v)
    assert (state.index, state.step) == (1, 0)  # jumps land on the first step


def test_search_regex_wraps_and_skips_current() -> None:
    state, _ = press(["/", "t", "e", "x", "t", "space", "[", "3", "7", "]", "enter"])
    assert state.index == 2 and state.mode is Mode.NORMAL and state.last_search == "text [37]"
    state, _ = press(["ctrl+n"], state)
    assert state.index == 6
    state, _ = press(["ctrl+n"], state)
    assert state.index == 2  # wrapped


def test_search_ignore_case_suffix_and_no_match_message() -> None:
    state, _ = press(["/", *"SLIDE 5/i", "enter"])
    assert state.index == 4
    state, _ = press(["/", *"SLIDE 5", "enter"])
    assert state.index == 0 and "no other slide matches" in state.message
    state, _ = press(["j"], state)
    assert state.message == ""


def test_search_invalid_regex_is_a_message_not_a_crash() -> None:
    state, _ = press(["/", "(", "enter"])
    assert state.index == 0 and state.message.startswith("invalid search")


def test_search_escape_and_backspace() -> None:
    state, _ = press(["/", "a", "b", "backspace"])
    assert state.query == "a" and state.mode is Mode.SEARCH
    state, _ = press(["esc"], state)
    assert state.mode is Mode.NORMAL and state.index == 0
    state, _ = press(["/", "backspace"])
    assert state.mode is Mode.NORMAL
    state, _ = press(["/", "j", "k", "q"])  # keys are text while searching
    assert state.query == "jkq" and state.index == 0


def test_ctrl_n_without_search() -> None:
    assert "press /" in press(["ctrl+n"])[0].message


def test_effects() -> None:
    assert press(["q"])[1] == [Effect.QUIT]
    assert press(["ctrl+c"])[1] == [Effect.QUIT]
    assert press(["r"])[1] == [Effect.RELOAD]
    assert press(["ctrl+e"])[1] == [Effect.EXEC]


def test_help_overlay_any_key_closes_and_q_does_not_quit() -> None:
    state, effects = press(["?"])
    assert state.mode is Mode.HELP
    state, effects = press(["q"], state)
    assert state.mode is Mode.NORMAL and effects == [Effect.NONE]
    assert press(["?", "ctrl+c"])[1][-1] is Effect.QUIT


def test_scrolling_is_clamped_and_resets_on_slide_change() -> None:
    v = view(page=10, max_scroll=12)
    state, _ = press(["J"], State(), v)
    assert state.scroll == 5
    state, _ = press(["ctrl+d", "J", "J"], state, v)
    assert state.scroll == 12
    state, _ = press(["K"], state, v)
    assert state.scroll == 7
    state, _ = press(["3", "ctrl+u"], state, v)
    assert state.scroll == 4
    state, _ = press(["j"], state, v)
    assert (state.index, state.scroll) == (1, 0)


def test_clamp_to_a_shorter_deck() -> None:
    state = clamp_to(State(index=8, step=2, scroll=40), View((1, 2, 1), SOURCES[:3], max_scroll=3))
    assert (state.index, state.step, state.scroll) == (2, 0, 3)


def test_find_helper() -> None:
    assert find(view(), 0, "Slide 1$") is None or find(view(), 0, "Slide 1\n") is None
    assert find(view(), 3, "Slide 10") == 9


def test_dispatch_table_covers_every_slides_binding_and_help_lists_them() -> None:
    slides_keys = ["space", "right", "down", "enter", "n", "j", "l", "pgdown",
                   "left", "up", "p", "h", "k", "N", "pgup", "G", "/", "ctrl+n", "ctrl+e", "q", "ctrl+c"]
    for key in slides_keys:
        assert key in KEYMAP
    text = "\n".join(f"{keys} {description}" for keys, description in help_lines())
    for binding in BINDINGS:
        assert ", ".join(binding.keys) in text
    assert len(set(KEYMAP)) == sum(len([k for k in b.keys if not k.startswith("<") and k != "gg"]) for b in BINDINGS)


def test_unknown_keys_change_nothing() -> None:
    state = State(index=2)
    assert press(["z", "f1", "unknown"], state)[0] == replace(state)
