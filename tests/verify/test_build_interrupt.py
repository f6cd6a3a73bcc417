"""Acceptance: Ctrl-C (SIGINT) during a real build leaves no containers or images behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker


def _wait(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _interrupt(busybox_image: str, tmp_path: Path, builder: str, sleep: str, started: Callable[[dict[str, str]], bool]) -> dict[str, str]:
    """Verify a deck whose RUN sleeps, Ctrl-C it once ``started(label)`` holds; the label of what it built."""
    marker = f"slidekit.test.sigint={uuid.uuid4().hex}"
    deck = tmp_path / "deck.md"
    deck.write_text(
        "# Slow\n\n---\n\n```dockerfile\n"
        f"FROM {busybox_image} AS slow\nLABEL {marker}\nRUN echo started && sleep {sleep}\n```\n"
    )
    label = {"label": marker}
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--builder", builder, str(deck)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a background shell may ignore it
    )
    try:
        assert _wait(lambda: started(label), 90), "build never started"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    return label


def test_sigint_during_build_cleans_up(docker_client, busybox_image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The RUN step's container carries the LABEL of the image it runs on.
    label = _interrupt(busybox_image, tmp_path, "classic", "120", lambda label: any(
        "sleep" in c["Command"] for c in docker_client.api.containers(all=True, filters=label)))
    assert docker_client.api.containers(all=True, filters=label) == []
    assert docker_client.api.images(all=True, filters=label) == []


def _sleeping(seconds: str) -> bool:
    """Whether a process runs ``sleep <seconds>`` (BuildKit runs RUN steps with runc, not as engine containers)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().split(b"\0")[:2] == [b"sleep", seconds.encode()]:
                return True
        except OSError:
            continue
    return False


def test_sigint_during_buildkit_build_cancels_it(docker_client, busybox_image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seconds = f"{uuid.uuid4().int % 9000 + 1000}"  # a unique `sleep N` to find the step's process by
    label = _interrupt(busybox_image, tmp_path, "buildkit", seconds, lambda label: _sleeping(seconds))
    assert _wait(lambda: not _sleeping(seconds), 30), "the engine went on building after Ctrl-C"
    assert docker_client.api.containers(all=True, filters=label) == []
    assert docker_client.api.images(all=True, filters=label) == []
