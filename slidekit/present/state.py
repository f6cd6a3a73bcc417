"""The presenter as a pure state machine: ``handle(state, key, view) → (state, effect)``.

Nothing here touches the terminal. :data:`BINDINGS` is the dispatch table; the
help overlay and the README key table are generated from it. Effects the loop
must carry out (quit, reload, run code) are returned as :class:`Effect` values.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum

from slidekit import timed_regex


class Mode(str, Enum):
    NORMAL = "normal"
    SEARCH = "search"
    HELP = "help"


class Effect(str, Enum):
    NONE = "none"
    QUIT = "quit"
    RELOAD = "reload"
    EXEC = "exec"


@dataclass(frozen=True)
class View:
    """What the state machine needs to know about the deck and the screen.

    ``steps[i]`` is slide *i*'s number of reveal steps, ``sources[i]`` its raw
    markdown (for search); ``page`` is the number of body rows on screen and
    ``max_scroll`` how far the current slide can scroll.
    """

    steps: tuple[int, ...]
    sources: tuple[str, ...]
    page: int = 20
    #: per slide, its pre-processing captions ("cached output…"): for the presenter, not the audience
    captions: tuple[str, ...] = ()
    max_scroll: int = 0
    #: "has the user pressed a key?" — a long search gives up when it says yes
    interrupted: Callable[[], bool] | None = field(default=None, compare=False)

    @property
    def count(self) -> int:
        return len(self.steps)


@dataclass(frozen=True)
class State:
    index: int = 0
    step: int = 0
    scroll: int = 0
    mode: Mode = Mode.NORMAL
    #: digits typed so far (a count for next/prev, or a slide number for G)
    count: str = ""
    #: True after one ``g`` (waiting for the second one of ``gg``)
    pending_g: bool = False
    query: str = ""  # the search being typed
    last_search: str = ""
    message: str = ""


Action = Callable[[State, View, int | None], "tuple[State, Effect]"]


@dataclass(frozen=True)
class Binding:
    keys: tuple[str, ...]
    action: str
    help: str


#: Every key binding, in the order the help overlay lists them.
BINDINGS: tuple[Binding, ...] = (
    Binding(("space", "right", "down", "enter", "n", "j", "l", "pgdown"), "next", "next step / slide"),
    Binding(("left", "up", "p", "h", "k", "N", "pgup"), "prev", "previous step / slide"),
    Binding(("<n>",), "digit", "count: <n> next/prev moves n slides"),
    Binding(("<n>G",), "goto", "go to slide n"),
    Binding(("gg",), "first", "first slide"),
    Binding(("G",), "goto", "last slide"),
    Binding(("/",), "search", "search (regex; end with /i to ignore case)"),
    Binding(("ctrl+n",), "search_next", "next search match"),
    Binding(("J", "ctrl+d"), "scroll_down", "scroll a tall slide down"),
    Binding(("K", "ctrl+u"), "scroll_up", "scroll a tall slide up"),
    Binding(("ctrl+e",), "exec", "run the slide's code (trusted decks only)"),
    Binding(("i",), "info", "this slide's pre-processing notes (cached output, stderr)"),
    Binding(("r",), "reload", "reload the deck"),
    Binding(("?",), "help", "show / hide this help"),
    Binding(("q", "ctrl+c"), "quit", "quit"),
)

DIGITS = frozenset("0123456789")


# --------------------------------------------------------------------------- helpers


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def _show(state: State, view: View, index: int, step: int = 0) -> State:
    """Move to slide ``index`` (clamped) at ``step``; a new slide starts unscrolled."""
    index = _clamp(index, 0, view.count - 1)
    step = _clamp(step, 0, view.steps[index] - 1)
    scroll = state.scroll if index == state.index else 0
    return replace(state, index=index, step=step, scroll=scroll)


def _count(state: State) -> int | None:
    return int(state.count) if state.count else None


def compile_search(query: str) -> timed_regex.Pattern[str]:
    """slides' search syntax: a regex, ``/i`` at the end makes it case-insensitive."""
    flags = 0
    if query.endswith("/i"):
        query, flags = query[:-2], timed_regex.IGNORECASE
    return timed_regex.compile_pattern(query, flags)


#: seconds one search may take over all slides (a pathological pattern gives up, the talk goes on)
SEARCH_BUDGET = 1.0
#: the first time slice of a match; a slower match is retried with doubled slices
#: (total work below twice the budget) and checks for a key press in between
SEARCH_SLICE = 0.02


class SearchCancelled(Exception):
    """A key was pressed while a slow search ran."""


def find(view: View, start: int, query: str, budget: float = SEARCH_BUDGET) -> int | None:
    """The first slide after ``start`` (wrapping, skipping ``start``) matching ``query``;
    :class:`TimeoutError` once the whole search took ``budget`` seconds,
    :class:`SearchCancelled` when ``view.interrupted()`` reports a key meanwhile."""
    pattern = compile_search(query)
    deadline = time.monotonic() + budget
    for offset in range(1, view.count + 1):
        index = (start + offset) % view.count
        if index == start:
            break
        if _matches(pattern, view.sources[index], deadline, view.interrupted):
            return index
    return None


def _matches(pattern: timed_regex.Pattern[str], text: str, deadline: float,
             interrupted: Callable[[], bool] | None) -> bool:
    slice_ = SEARCH_SLICE
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        try:
            return timed_regex.search(pattern, text, timeout=min(slice_, left))
        except TimeoutError:
            if interrupted is not None and interrupted():
                raise SearchCancelled from None
            slice_ *= 2


# --------------------------------------------------------------------------- actions


def _next(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    if count is not None:
        return _show(state, view, state.index + count), Effect.NONE
    if state.step + 1 < view.steps[state.index]:
        return replace(state, step=state.step + 1), Effect.NONE
    return _show(state, view, state.index + 1, state.step if state.index == view.count - 1 else 0), Effect.NONE


def _prev(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    if count is not None:
        return _show(state, view, state.index - count), Effect.NONE
    if state.step > 0:
        return replace(state, step=state.step - 1), Effect.NONE
    if state.index == 0:
        return state, Effect.NONE
    # going back shows the previous slide fully revealed
    return _show(state, view, state.index - 1, view.steps[state.index - 1] - 1), Effect.NONE


def _goto(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    if count is None:
        return _last(state, view, None)
    return _show(state, view, count - 1), Effect.NONE


def _first(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    return _show(state, view, 0), Effect.NONE


def _last(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    return _show(state, view, view.count - 1), Effect.NONE


def _search(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    return replace(state, mode=Mode.SEARCH, query=""), Effect.NONE


def _run_search(state: State, view: View, query: str) -> State:
    if not query:
        return replace(state, message="")
    try:
        found = find(view, state.index, query)
    except timed_regex.error as exc:
        return replace(state, last_search=query, message=f"invalid search /{query}/: {exc}")
    except SearchCancelled:
        return replace(state, last_search=query, message=f"search /{query}/ cancelled")
    except TimeoutError:
        return replace(state, last_search=query,
                       message=f"search /{query}/ gave up after {SEARCH_BUDGET:g} s (the pattern backtracks too much)")
    if found is None:
        return replace(state, last_search=query, message=f"no other slide matches /{query}/")
    return replace(_show(state, view, found), last_search=query, message="")


def _search_next(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    if not state.last_search:
        return replace(state, message="no search yet: press / to search"), Effect.NONE
    return _run_search(state, view, state.last_search), Effect.NONE


def _scroll(delta: int) -> Action:
    def action(state: State, view: View, count: int | None) -> tuple[State, Effect]:
        amount = (count or max(view.page // 2, 1)) * delta
        return replace(state, scroll=_clamp(state.scroll + amount, 0, view.max_scroll)), Effect.NONE

    return action


def _effect(effect: Effect) -> Action:
    def action(state: State, view: View, count: int | None) -> tuple[State, Effect]:
        return state, effect

    return action


def _info(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    caption = view.captions[state.index] if state.index < len(view.captions) else ""
    return replace(state, message=caption or "no pre-processing notes on this slide"), Effect.NONE


def _help(state: State, view: View, count: int | None) -> tuple[State, Effect]:
    return replace(state, mode=Mode.HELP), Effect.NONE


ACTIONS: dict[str, Action] = {
    "next": _next,
    "prev": _prev,
    "goto": _goto,
    "first": _first,
    "last": _last,
    "search": _search,
    "search_next": _search_next,
    "scroll_down": _scroll(1),
    "scroll_up": _scroll(-1),
    "exec": _effect(Effect.EXEC),
    "reload": _effect(Effect.RELOAD),
    "help": _help,
    "info": _info,
    "quit": _effect(Effect.QUIT),
}

#: key name → action name, from :data:`BINDINGS` (``<n>``-style entries are handled apart)
KEYMAP: dict[str, str] = {
    key: binding.action
    for binding in BINDINGS
    for key in binding.keys
    if not key.startswith("<") and key != "gg"
}


# --------------------------------------------------------------------------- modes


def _normal(state: State, key: str, view: View) -> tuple[State, Effect]:
    if state.message:
        state = replace(state, message="")
    if key in DIGITS and not (key == "0" and not state.count):
        return replace(state, count=state.count + key, pending_g=False), Effect.NONE
    if key == "g":
        if state.pending_g:
            return _first(replace(state, pending_g=False, count=""), view, None)
        return replace(state, pending_g=True), Effect.NONE
    count = _count(state)
    state = replace(state, count="", pending_g=False)
    action = KEYMAP.get(key)
    if action is None:
        return state, Effect.NONE
    return ACTIONS[action](state, view, count)


def _search_mode(state: State, key: str, view: View) -> tuple[State, Effect]:
    if key == "esc" or key == "ctrl+c":
        return replace(state, mode=Mode.NORMAL, query=""), Effect.NONE
    if key == "enter":
        return _run_search(replace(state, mode=Mode.NORMAL, query=""), view, state.query), Effect.NONE
    if key == "backspace":
        if not state.query:
            return replace(state, mode=Mode.NORMAL), Effect.NONE
        return replace(state, query=state.query[:-1]), Effect.NONE
    if key == "space":
        return replace(state, query=state.query + " "), Effect.NONE
    if len(key) == 1:
        return replace(state, query=state.query + key), Effect.NONE
    return state, Effect.NONE


def _help_mode(state: State, key: str, view: View) -> tuple[State, Effect]:
    if key == "ctrl+c":
        return state, Effect.QUIT
    # any key closes the overlay (q and ? included, so q never quits by surprise)
    return replace(state, mode=Mode.NORMAL), Effect.NONE


MODES: dict[Mode, Callable[[State, str, View], tuple[State, Effect]]] = {
    Mode.NORMAL: _normal,
    Mode.SEARCH: _search_mode,
    Mode.HELP: _help_mode,
}


def handle(state: State, key: str, view: View) -> tuple[State, Effect]:
    """The state after ``key``, and what the loop must do."""
    return MODES[state.mode](state, key, view)


def clamp_to(state: State, view: View) -> State:
    """``state`` made valid for a (re-loaded) deck: slide, step and scroll in range."""
    index = _clamp(state.index, 0, view.count - 1)
    step = _clamp(state.step, 0, view.steps[index] - 1)
    return replace(state, index=index, step=step, scroll=_clamp(state.scroll, 0, view.max_scroll))


def help_lines() -> list[tuple[str, str]]:
    """(keys, description) rows for the help overlay, from :data:`BINDINGS`."""
    return [(", ".join(b.keys), b.help) for b in BINDINGS]
