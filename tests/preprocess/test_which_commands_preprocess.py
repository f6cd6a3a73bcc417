"""Only the commands that show slides pre-process: verify, extract and graph never run a ~~~ block (even on an
trusted deck) and never warn about one; render does, and `--refresh` reaches it as a parameter."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from slidekit.cli import main

from .conftest import wrapped

DOCKERFILE = "```dockerfile\nFROM scratch AS base\nCOPY a /a\n```\n"


def trusted_deck(write_deck: Callable[..., Path], marker: Path, dockerfile: bool = True) -> Path:
    """A deck the user's config trusts (trusted_decks), executable as well."""
    text = "# S\n\n" + wrapped(f"sh -c 'echo run >> {marker}; cat'", "diagram\n")
    deck = write_deck(text + ("\n---\n\n" + DOCKERFILE if dockerfile else ""), mode=0o755)
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "slidekit" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"trusted_decks: [{deck.resolve()}]\n")
    return deck


@pytest.mark.parametrize("args", [["extract"], ["graph"], ["verify", "--allow-empty"]])
def test_commands_that_never_show_slides_never_preprocess(write_deck: Callable[..., Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          args: list[str]) -> None:
    marker = tmp_path / "ran"
    deck = trusted_deck(write_deck, marker, dockerfile=args[0] != "verify")
    assert main([*args, str(deck)]) == 0
    captured = capsys.readouterr()
    assert not marker.exists()
    assert "~~~" not in captured.err and "warning" not in captured.err
    assert not (deck.parent / ".slidekit-cache").exists()
    if args[0] == "extract":
        assert captured.out == "FROM scratch AS base\nCOPY a /a\n"


def test_render_preprocesses_and_refresh_reruns(write_deck: Callable[..., Path], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "ran"
    deck = trusted_deck(write_deck, marker)
    assert main(["render", str(deck), "--width", "60", "--color", "never"]) == 0
    assert "diagram" in capsys.readouterr().out
    assert main(["render", str(deck), "--width", "60", "--color", "never"]) == 0  # from .slidekit-cache
    assert marker.read_text() == "run\n"
    assert main(["render", str(deck), "--width", "60", "--color", "never", "--refresh"]) == 0
    assert marker.read_text() == "run\nrun\n"


def test_verify_has_no_preprocessing_flags(write_deck: Callable[..., Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    deck = trusted_deck(write_deck, tmp_path / "ran", dockerfile=False)
    assert main(["verify", "--allow-empty", "--allow-exec", str(deck)]) == 2
    assert "--allow-exec" in capsys.readouterr().err
