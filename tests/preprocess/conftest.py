"""Pre-processing tests never see the real user's config, home or timeout setting."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("SLIDEKIT_EXEC_TIMEOUT", raising=False)
    return home


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write a deck file (mode 0644 unless told) into a fresh folder under tmp_path."""

    def write(text: str, name: str = "deck.md", mode: int = 0o644, folder: str = "talk") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.chmod(path, mode)
        return path

    return write


def wrapped(command: str, body: str) -> str:
    """slides' recommended form: the ~~~ block inside a ``` fence."""
    return f"```\n~~~{command}\n{body}~~~\n```\n"
