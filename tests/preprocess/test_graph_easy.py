"""graph-easy blocks: the example deck's diagram comes out byte-identical to running the tool
directly (drawn in process for --as=boxart|ascii); outputs slidekit cannot draw itself
(--as=txt here) run the real tool and come out byte-identical too."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from slidekit.session import open_deck
from slidekit.preprocess.pipeline import command_blocks

from .conftest import wrapped

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "slides" / "docker-multistage.md"
CORPUS = Path("/work/shared/graph-easy-corpus")
#: a spread of features: groups, labels on edges, multi-edges, self-loops, class attributes
CORPUS_PICKS = ("10_repair", "18_multiples", "2_group_labelpos", "4_edge_labels", "4groups", "1_selfloop_2")

pytestmark = pytest.mark.graph_easy


def test_example_deck_diagram_is_byte_identical(graph_easy: str, tmp_path: Path) -> None:
    deck_path = tmp_path / "docker-multistage.md"
    deck_path.write_bytes(EXAMPLE.read_bytes())  # never write a cache into the repository
    deck = open_deck(str(deck_path), preprocess=True, allow_exec=True, strict=True)
    [block] = command_blocks(deck)
    assert block.wrapped and block.command == "graph-easy --as=boxart"
    expected = subprocess.run([graph_easy, "--as=boxart"], input=block.body.encode(), capture_output=True,
                              check=True, timeout=60).stdout.decode()
    assert block.output == expected
    assert "┌──────┐" in expected and "image A2" in expected  # the tool really drew the graph
    assert (block.notice, block.failed) == (None, False)


def _corpus(name: str) -> tuple[str, bytes]:
    source = CORPUS / "inputs" / f"{name}.txt"
    expected = CORPUS / "expected-boxart" / f"{name}.txt"
    if not (source.exists() and expected.exists()):
        pytest.fail(f"graph-easy corpus file missing: {source}")
    return source.read_text(encoding="utf-8"), expected.read_bytes()


def test_corpus_graphs_are_byte_identical(graph_easy: str, write_deck: Callable[..., Path]) -> None:
    graphs = [_corpus(name) for name in CORPUS_PICKS]
    slides = [f"# {name}\n\n" + wrapped("graph-easy --as=txt", text) for name, (text, _) in zip(CORPUS_PICKS, graphs)]
    deck_path = write_deck("\n---\n\n".join(slides))
    deck = open_deck(str(deck_path), preprocess=True, allow_exec=True, strict=True)
    outputs = [block.output for block in command_blocks(deck)]
    direct = [subprocess.run([graph_easy, "--as=txt"], input=text.encode(), capture_output=True, check=True,
                             timeout=60).stdout for text, _ in graphs]
    assert [o.encode("utf-8") if o is not None else None for o in outputs] == direct
    # and the cached copy (next open) is the same bytes
    again = open_deck(str(deck_path), preprocess=True, allow_exec=False)
    assert [block.output for block in command_blocks(again)] == outputs


def test_graph_easy_syntax_error_is_visible(graph_easy: str, write_deck: Callable[..., Path]) -> None:
    deck_path = write_deck("# S\n\n" + wrapped("graph-easy --as=boxart", "[ A ] -Treasure--> [ B ]\n"))
    [block] = command_blocks(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert block.failed and block.output is None
    # drawn in process: the parse error points at the deck line and column
    assert block.notice == "graph-easy: line 5, column 7: cannot parse edge '-Treasure-->'"
    deck_path = write_deck("# S\n\n" + wrapped("graph-easy --as=txt", "[ A ] -Treasure--> [ B ]\n"))
    [block] = command_blocks(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert block.failed and block.output is None
    assert (block.notice or "").startswith("graph-easy exited with status 255: ")
