"""~~~graph-easy blocks are drawn in process: identical to the real tool, in untrusted decks,
with no process started."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slidekit.deck.load import load_deck
from slidekit.deck.model import CommandBlock, walk
from slidekit.diagram import parse as parse_graph
from slidekit.preprocess import preprocess
from slidekit.preprocess.native import native_resolution

EXAMPLE = Path(__file__).resolve().parents[2] / "slides" / "docker-multistage.md"


def _blocks(deck) -> list[CommandBlock]:  # type: ignore[no-untyped-def]
    return [b for s in deck.slides for b in walk(s.blocks) if isinstance(b, CommandBlock)]


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to start a process fails the test (and is recorded)."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[:1]))
        raise AssertionError(f"a process was started: {args[:1]!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    for name in ("posix_spawn", "posix_spawnp", "fork", "execv", "execve", "execvp", "system"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
    return attempts


@pytest.fixture
def real_output(graph_easy: str) -> str:
    """The real graph-easy's drawing of the example deck's block (run before the guard is on)."""
    block = _blocks(load_deck(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE)))[0]
    argv = [graph_easy, *block.command.split()[1:]]
    return subprocess.run(argv, input=block.body, capture_output=True, text=True, check=True).stdout


def test_untrusted_example_deck_draws_like_graph_easy_without_a_process(
        tmp_path: Path, real_output: str, no_processes: list[str]) -> None:
    deck_path = tmp_path / "deck.md"
    shutil.copyfile(EXAMPLE, deck_path)  # no cache folder beside it, not executable: untrusted
    deck_path.chmod(0o644)
    processed = preprocess(load_deck(deck_path.read_text(encoding="utf-8"), str(deck_path)),
                           env={}, home=tmp_path)
    assert processed.trust is None or not processed.trust.trusted
    drawn = _blocks(processed.deck)[0]
    assert drawn.output == real_output
    assert not drawn.failed and drawn.notice is None
    assert processed.ran == 0 and processed.cached == 0 and no_processes == []


def test_bad_diagram_is_reported_at_its_deck_line(tmp_path: Path, no_processes: list[str]) -> None:
    deck_path = tmp_path / "deck.md"
    deck_path.write_text("# T\n\n~~~graph-easy --as=ascii\n[ A ] -> [ B ]\n[ C ] -> { x }\n~~~\n", encoding="utf-8")
    processed = preprocess(load_deck(deck_path.read_text(encoding="utf-8"), str(deck_path)), env={}, home=tmp_path)
    block = _blocks(processed.deck)[0]
    assert block.failed and block.output is None
    assert block.notice == "graph-easy: line 5, column 12: bad attribute 'x' (expected 'name: value')"
    assert [p.line for p in processed.problems] == [3]


def test_outputs_the_native_renderer_lacks_still_need_trust(tmp_path: Path, no_processes: list[str]) -> None:
    deck_path = tmp_path / "deck.md"
    deck_path.write_text("# T\n\n~~~graph-easy --as=dot\n[ A ] -> [ B ]\n~~~\n", encoding="utf-8")
    processed = preprocess(load_deck(deck_path.read_text(encoding="utf-8"), str(deck_path)), env={}, home=tmp_path)
    block = _blocks(processed.deck)[0]
    assert block.output is None and block.notice  # shown as source, with how to allow it
    assert no_processes == []


def test_native_output_equals_the_committed_cache(tmp_path: Path, no_processes: list[str]) -> None:
    """The example deck's committed cache holds graph-easy's real output; the native drawing equals it."""

    block = _blocks(load_deck(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE)))[0]
    digest = hashlib.sha256(block.body.encode("utf-8")).hexdigest()
    entries = [json.loads(p.read_text(encoding="utf-8"))
               for p in (EXAMPLE.parent / ".slidekit-cache" / "preprocess").glob("*.json")]
    [real] = [e["stdout"] for e in entries if e.get("body_sha256") == digest and e.get("command") == block.command]
    deck_path = tmp_path / "deck.md"
    shutil.copyfile(EXAMPLE, deck_path)
    processed = preprocess(load_deck(deck_path.read_text(encoding="utf-8"), str(deck_path)), env={}, home=tmp_path)
    assert _blocks(processed.deck)[0].output == real
    assert no_processes == []


def _big_graph(nodes: int, edges: int) -> str:
    rng = random.Random(nodes)
    return "\n".join(f"[ n{rng.randrange(nodes)} ] -> [ n{rng.randrange(nodes)} ]" for _ in range(edges)) + "\n"


def test_a_graph_too_big_to_lay_out_is_drawn_in_part_with_a_warning() -> None:
    """A huge graph (in an untrusted deck, say) must not keep the layouter busy for minutes: its
    A* work is capped like the real tool's, every node is still drawn, and the edges it had no
    time for are reported as a problem (warned about, fails --strict)."""
    layout_module = sys.modules["slidekit.diagram.layout"]  # the package re-exports the function under that name
    text = _big_graph(200, 300)
    res = native_resolution("graph-easy --as=boxart", text, 10)
    assert res is not None and res.output is not None
    assert res.problem is not None and res.problem.startswith("graph-easy: line 10: the graph is too big")
    assert "edges left out" in res.problem and not res.failed
    graph = parse_graph(text)
    for name in graph.nodes:
        assert f" {name} " in res.output
    laid = layout_module._Layouter(graph)
    laid.run()
    assert laid.work <= layout_module.WORK_LIMIT
    # a small graph stays far below the limit and loses nothing
    small = native_resolution("graph-easy", "[ a ] -> [ b ] -> [ c ]\n", 1)
    assert small is not None and small.problem is None and small.output is not None and "┌" not in small.output
