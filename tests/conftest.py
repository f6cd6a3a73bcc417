"""Shared test fixtures.

External components (Docker Engine, Chromium, graph-easy) are *required* under
``CI=true``: a test that needs one fails when it is missing instead of skipping.
Locally, without them, such tests skip with the reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from external_tools import CHROMIUM, IN_CI, require, require_local_image  # noqa: F401 - IN_CI re-exported

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic rendering: no colour variables leak in from the environment."""
    for var in ("NO_COLOR", "FORCE_COLOR", "GLAMOUR_STYLE", "COLORTERM", "GITHUB_ACTIONS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture(scope="session")
def docker_client():  # type: ignore[no-untyped-def]
    """A client for a running Docker Engine (tests/env/setup.sh starts one)."""
    try:
        import docker

        client = docker.from_env(timeout=300)
        client.ping()
    except Exception as exc:
        require(False, f"a running Docker Engine ({type(exc).__name__})")
        raise
    return client


@pytest.fixture(scope="session")
def busybox_image(docker_client) -> str:  # type: ignore[no-untyped-def]
    """The locally built FROM-scratch busybox image (tests/env/image-busybox.sh)."""
    return require_local_image(docker_client, "slidekit-test/busybox:latest")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require(Path(CHROMIUM).exists(), "Debian chromium at /usr/bin/chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        require(False, "playwright for Python")
    return CHROMIUM


@pytest.fixture(scope="session")
def graph_easy() -> str:
    path = shutil.which("graph-easy")
    require(path is not None, "graph-easy (Debian libgraph-easy-perl)")
    return str(path)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-goldens`` rewrites tests/golden/*.txt from the current output."""
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files (tests/golden) instead of comparing against them")
