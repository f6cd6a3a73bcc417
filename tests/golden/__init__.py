"""Golden-file helper: compare rendered text with ``tests/golden/<name>``.

Run ``pytest --update-goldens`` to (re)write the files after an intended change,
then review the diff with git.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent


def assert_golden(config: pytest.Config, name: str, text: str) -> None:
    """Fail with a unified diff unless ``text`` equals the golden file ``name``."""
    path = GOLDEN_DIR / name
    if config.getoption("--update-goldens"):
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing: run pytest --update-goldens and review it")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                              f"golden/{name}", "rendered", lineterm=""))
        pytest.fail(f"rendering differs from golden/{name} (pytest --update-goldens to accept):\n{diff}")
