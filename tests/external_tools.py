"""Required external components: fail under CI=true, skip locally.

Test modules import :func:`require` from here (not from ``conftest``: several
test folders have a conftest.py, and a bare ``import conftest`` picks whichever
comes first on sys.path).
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def require(available: bool, what: str) -> None:
    """Skip locally, fail under CI=true, when ``what`` is not available."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available (run tests/env/setup.sh)")
    pytest.skip(f"{what} not available")


def require_local_image(client, name: str) -> str:  # type: ignore[no-untyped-def]
    """``name`` if the engine has it (built by a tests/env/image-*.sh script), else skip/fail."""
    try:
        client.images.get(name)
    except Exception:  # noqa: BLE001 - any failure means "not there"
        require(False, f"image {name} (run tests/env/setup.sh)")
    return name
