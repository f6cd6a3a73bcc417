"""Security regression tests (issue 12): each finding S1-S6 / R1-R10 has a test here.

Every test runs with its own HOME and XDG_CONFIG_HOME, so the real user's config is
never read or written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.preprocess.conftest import _isolated_user  # noqa: F401 - autouse: own HOME and user config

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
    .replace(" ", "")
)


@pytest.fixture(autouse=True)
def home(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pre-processing's isolated HOME and config, plus a private verify cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    isolated: Path = request.getfixturevalue("_isolated_user")
    return isolated


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def slidekit(tmp_path: Path) -> Run:
    """Run the real CLI in a subprocess (exit code, stdout, stderr as text)."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "slidekit", *args], cwd=cwd or tmp_path, text=True,
                              capture_output=True, timeout=timeout, env={**os.environ, **(env or {})},
                              stdin=subprocess.DEVNULL)

    return run


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single `error:` line of a failed run (and no traceback)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]
