"""Fixtures of the example deck's tests (slides/docker-multistage.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from external_tools import require_local_image

ROOT = Path(__file__).resolve().parents[2]

DECK = ROOT / "slides" / "docker-multistage.md"
CONTEXT = ROOT / "slides" / "docker-multistage"
PYTHON39_IMAGE = "slidekit-test/python:3.9-bullseye"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: builds real images from PyPI/Debian packages (minutes); deselect with -m 'not slow'"
    )


@pytest.fixture(scope="session")
def python39_image(docker_client) -> str:  # type: ignore[no-untyped-def]
    """The local stand-in for python:3.9.10 (tests/env/image-python39.sh)."""
    return require_local_image(docker_client, PYTHON39_IMAGE)


@pytest.fixture(scope="session")
def deck_path() -> Path:
    return DECK
