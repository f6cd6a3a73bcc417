"""Through the real CLI (`slidekit render`): the diagram shows, stdin never runs,
--strict exits 1 naming path:line, --refresh re-runs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from slidekit.deck.load import load_deck
from slidekit.preprocess.pipeline import command_blocks

from .conftest import wrapped

EXAMPLE = Path(__file__).resolve().parents[2] / "slides" / "docker-multistage.md"


def slidekit(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "slidekit", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=120)


@pytest.mark.graph_easy
def test_render_allow_exec_shows_the_diagram(graph_easy: str, tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_bytes(EXAMPLE.read_bytes())
    [block] = command_blocks(load_deck(deck.read_text(), str(deck)))
    diagram = subprocess.run([graph_easy, "--as=boxart"], input=block.body, capture_output=True, text=True,
                             check=True, timeout=60).stdout
    proc = slidekit("render", "--allow-exec", "--strict", "--slide", "1", "--width", "100", "--color", "never",
                    "deck.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    shown = [line.rstrip() for line in proc.stdout.splitlines()]
    for line in diagram.rstrip("\n").splitlines():
        assert any(line.rstrip() in row for row in shown), line
    assert "~~~graph-easy" not in proc.stdout
    # untrusted now (no --allow-exec): the same diagram, drawn in process (no command, no notice)
    proc = slidekit("render", "--refresh", "--color", "never", "--width", "100", "--slide", "1", "deck.md",
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    shown = [line.rstrip() for line in proc.stdout.splitlines()]
    for line in diagram.rstrip("\n").splitlines():
        assert any(line.rstrip() in row for row in shown), line
    assert "cached output" not in proc.stdout and "not run" not in proc.stdout


def test_stdin_deck_never_runs_through_the_cli(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = "# S\n\n" + wrapped(f"touch {marker}", "x\n")
    proc = slidekit("render", "--allow-exec", "--color", "never", "-", cwd=tmp_path, stdin=text)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    assert "-:3: not run: decks read from stdin never run commands" in proc.stderr
    assert "~~~touch" in proc.stdout  # the source is shown instead


def test_strict_exit_code_and_message(write_deck: Callable[..., Path]) -> None:
    deck = write_deck("# S\n\nintro\n\n~~~sh -c 'echo bad >&2; exit 2'\nx\n~~~\n")
    proc = slidekit("render", "--allow-exec", "--strict", "--color", "never", deck.name, cwd=deck.parent)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == "error: deck.md:5: sh exited with status 2: bad [--strict]"
    assert proc.stdout == ""
    untrusted = slidekit("render", "--strict", "--color", "never", deck.name, cwd=deck.parent)
    assert untrusted.returncode == 1 and "deck.md:5: not run: untrusted deck" in untrusted.stderr
    lenient = slidekit("render", "--allow-exec", "--color", "never", deck.name, cwd=deck.parent)
    assert lenient.returncode == 0 and "warning: deck.md:5: sh exited with status 2: bad" in lenient.stderr


def test_refresh_flag_reruns(write_deck: Callable[..., Path], tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    deck = write_deck("# S\n\n" + wrapped(f"sh -c 'echo run >> {counter}; cat'", "x\n"))
    for extra in ((), (), ("--refresh",)):
        proc = slidekit("render", "--allow-exec", *extra, "--color", "never", deck.name, cwd=deck.parent)
        assert proc.returncode == 0, proc.stderr
    assert counter.read_text() == "run\nrun\n"
